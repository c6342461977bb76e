/**
 * Faults an operator injects for a game day, as pure data and decisions: what a fault is, its state at
 * a given time, which faults apply to a consumer or a provider, which messages a poison fault picks.
 * The FaultStore Durable Object keeps them (src/durable-objects/fault-store.ts); the consumer runtime
 * and the provider adapters read them through ./client.ts. Nothing here reads a clock or a binding.
 */
import { fnv1a } from "../encoding/fnv1a";

export const CONSUMER_FAULT_KINDS = ["failure-rate", "latency", "pause", "poison", "duplicate"] as const;
export const FAULT_KINDS = [...CONSUMER_FAULT_KINDS, "provider-outage"] as const;
export const FAULT_PROVIDERS = ["payments", "email"] as const;
export const OUTAGE_MODES = ["fail", "timeout"] as const;
export const FAULT_STATES = ["active", "expired", "cleared"] as const;

export type ConsumerFaultKind = (typeof CONSUMER_FAULT_KINDS)[number];
export type FaultKind = (typeof FAULT_KINDS)[number];
export type FaultProvider = (typeof FAULT_PROVIDERS)[number];
export type OutageMode = (typeof OUTAGE_MODES)[number];
export type FaultState = (typeof FAULT_STATES)[number];

/** What an operator asks for: one fault on one consumer or provider. */
export type FaultSpec =
  | { kind: "failure-rate"; consumer: string; rate: number }
  | { kind: "latency"; consumer: string; latencyMs: number }
  | { kind: "pause"; consumer: string }
  | { kind: "poison"; consumer: string; rate: number }
  | { kind: "duplicate"; consumer: string }
  | { kind: "provider-outage"; provider: FaultProvider; mode: OutageMode; rate?: number };

/** A fault as stored: its spec, when it was set, when it ends, and how often it struck so far. */
export type StoredFault = FaultSpec & {
  id: string;
  createdAt: number;
  expiresAt: number;
  /** When an operator cleared it before it expired; null otherwise. */
  clearedAt: number | null;
  /** Injections it caused: messages failed, delayed, held, poisoned or duplicated, provider calls failed. */
  injected: number;
};

export type ConsumerFault = Extract<StoredFault, { kind: ConsumerFaultKind }>;
export type OutageFault = Extract<StoredFault, { kind: "provider-outage" }>;

/** Ended faults stay listed this long, so a game day's report can read their counts afterwards. */
export const ENDED_FAULTS_KEPT_MS = 24 * 3_600_000;

export function faultState(f: StoredFault, now: number): FaultState {
  if (f.clearedAt !== null && f.clearedAt < f.expiresAt) return "cleared";
  return f.expiresAt <= now ? "expired" : "active";
}

/** When it stopped striking (cleared or expired); null while active. */
export function endedAt(f: StoredFault, now: number): number | null {
  const state = faultState(f, now);
  if (state === "active") return null;
  return state === "cleared" ? f.clearedAt : f.expiresAt;
}

export const isActive = (f: StoredFault, now: number) => faultState(f, now) === "active";

/**
 * What GET /ops/faults lists: the active faults (newest first), then those that ended within
 * ENDED_FAULTS_KEPT_MS, the most recently ended first.
 */
export function listed(faults: readonly StoredFault[], now: number): StoredFault[] {
  const active = faults.filter((f) => isActive(f, now)).sort((a, b) => b.createdAt - a.createdAt);
  const ended = faults
    .map((f) => ({ f, at: endedAt(f, now) }))
    .filter((e): e is { f: StoredFault; at: number } => e.at !== null && e.at > now - ENDED_FAULTS_KEPT_MS)
    .sort((a, b) => b.at - a.at || b.f.createdAt - a.f.createdAt)
    .map((e) => e.f);
  return [...active, ...ended];
}

/**
 * The faults that strike a consumer now, one per kind: when two of a kind are active for the same
 * consumer, the newest wins (and only it counts injections), so adding a fault always means "from now
 * on, this".
 */
export function consumerFaults(
  faults: readonly StoredFault[],
  consumer: string,
  now: number,
): Partial<{ [K in ConsumerFaultKind]: Extract<StoredFault, { kind: K }> }> {
  const out: Partial<Record<ConsumerFaultKind, ConsumerFault>> = {};
  for (const f of newestFirst(faults, now)) {
    if (f.kind === "provider-outage" || f.consumer !== consumer) continue;
    out[f.kind] ??= f;
  }
  return out as Partial<{ [K in ConsumerFaultKind]: Extract<StoredFault, { kind: K }> }>;
}

/** The outage that strikes a provider now (the newest, when several are active), or null. */
export function providerOutage(faults: readonly StoredFault[], provider: FaultProvider, now: number) {
  return (
    newestFirst(faults, now).find(
      (f): f is OutageFault => f.kind === "provider-outage" && f.provider === provider,
    ) ?? null
  );
}

/**
 * Whether an outage fails this call: a draw in [0, 1) under its `rate` (absent: 1, every call). A draw,
 * not a hash as for poison, so a retry of the same call under the same key may go through — as with a
 * provider that fails a share of its requests.
 *
 * @example
 * outageStrikes({ ...outage, rate: 0.05 }, 0.2); // false: this call goes through
 */
export const outageStrikes = (outage: Pick<OutageFault, "rate">, draw: number): boolean =>
  draw < (outage.rate ?? 1);

const newestFirst = (faults: readonly StoredFault[], now: number) =>
  faults.filter((f) => isActive(f, now)).sort((a, b) => b.createdAt - a.createdAt);

/**
 * Whether a poison fault at `rate` picks this event: a hash of the event id, not a draw, so the same
 * message fails on every attempt and runs out of retries while the others go through.
 *
 * @example
 * isPoisoned("evt_01j…", 0.1); // the same answer on every delivery of that event
 */
export const isPoisoned = (eventId: string, rate: number): boolean => fnv1a(eventId) / 2 ** 32 < rate;

/**
 * The CloudEvents extension attribute that marks the copy a duplicate fault sends (its value is the
 * fault's id). Extension names are lowercase alphanumerics; the envelope check lets unknown attributes
 * through, so the copy is read like any other delivery, but is never duplicated again.
 */
export const FAULT_COPY_ATTRIBUTE = "crossdockfaultcopy";

export const isFaultCopy = (body: unknown): boolean =>
  typeof body === "object" && body !== null && FAULT_COPY_ATTRIBUTE in body;

/** The body a duplicate fault sends again: the envelope as it arrived, marked as the fault's copy. */
export const faultCopy = <B extends object>(body: B, faultId: string): B & Record<string, string> => ({
  ...body,
  [FAULT_COPY_ATTRIBUTE]: faultId,
});

/**
 * A failure the runtime or a provider adapter caused on purpose. Its message starts with `injected:`,
 * which is what the attempt's `error` and a dead letter's `lastError` show, and the consumer runtime
 * records its attempt with the outcome `injected`, so it is never counted as a real failure.
 */
export class InjectedFault extends Error {
  override readonly name = "InjectedFault";

  constructor(
    readonly faultId: string,
    readonly kind: FaultKind,
    what: string,
  ) {
    super(`injected: ${what} (fault ${faultId})`);
  }
}

/**
 * The FaultStore's RPC methods (src/durable-objects/fault-store.ts implements them), so the platform
 * reaches the store through its binding without importing the Durable Object. Time is always passed in.
 */
export interface FaultStoreApi {
  /** Every fault GET /ops/faults shows at `now` (see `listed`). */
  list(now: number): StoredFault[];
  /** Only the faults active at `now`: what the runtime and the adapters read. */
  active(now: number): StoredFault[];
  set(fault: StoredFault, now: number): StoredFault;
  /** Ends an active fault now; an ended one is left as it is. Null for an unknown id. */
  clear(id: string, now: number): StoredFault | null;
  /** Ends every active fault now; how many there were. */
  clearAll(now: number): number;
  /** Adds injections to each fault's counter, by fault id (ids no longer stored are ignored). */
  recordInjections(counts: Record<string, number>): void;
}
