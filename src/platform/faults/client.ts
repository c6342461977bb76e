import type { Logger } from "../observability/logger";
import { errorFields } from "../observability/logger";
import type { StoredFault } from "./model";

export type FaultsEnv = Pick<Env, "FAULTS_ENABLED" | "FAULTS">;

/** Fault injection is on only where FAULTS_ENABLED is exactly "true" (wrangler.toml says "false"). */
export const faultsEnabled = (env: Pick<Env, "FAULTS_ENABLED">): boolean => env.FAULTS_ENABLED === "true";

/**
 * The one FaultStore instance, for the admin routes.
 *
 * @example
 * const fault = await faultStore(env).set(fault, now);
 */
export const faultStore = (env: Pick<Env, "FAULTS">) => env.FAULTS.get(env.FAULTS.idFromName("faults"));

/**
 * How long an isolate reuses the active faults it read. Readers are every consumer batch and every
 * provider call, so a fault costs at most one store call per isolate per second rather than one per
 * message (and the single store instance never becomes the bottleneck of a load test), while a fault
 * set or cleared still takes effect within about a second everywhere.
 */
export const FAULT_CACHE_MS = 1000;

let cached: { at: number; faults: StoredFault[] } | null = null;

// The one read of this isolate in flight, if any. When the copy runs out, the saga steps and consumer
// batches asking in that instant do not each call the store (a 400-order bench:checkout made 3,569
// reads, in bursts of 100 and 400 within a second; 183 since): one of them reads, the others keep the
// old copy until it lands. They do not await the reader's promise, because in Workers a promise is tied to the request
// that made it. A reader that never lands frees the slot after FAULT_CACHE_MS.
let reading: { since: number } | null = null;

/**
 * The faults active at `now`, as every isolate sees them (within FAULT_CACHE_MS, plus one store read).
 * With fault injection off it answers [] without calling the store at all.
 *
 * @example
 * const outage = providerOutage(await activeFaults(env, Date.now()), "email", Date.now());
 */
export async function activeFaults(env: FaultsEnv, now: number): Promise<StoredFault[]> {
  if (!faultsEnabled(env)) return [];
  if (cached && now >= cached.at && now - cached.at < FAULT_CACHE_MS) return cached.faults;
  if (cached && reading && now >= reading.since && now - reading.since < FAULT_CACHE_MS) return cached.faults;
  const read = { since: now };
  reading = read;
  try {
    const faults = await faultStore(env).active(now);
    // A read overtaken by forgetActiveFaults (a fault changed meanwhile) answers its caller only.
    if (reading === read) cached = { at: now, faults };
    return faults;
  } finally {
    if (reading === read) reading = null;
  }
}

/**
 * Drops this isolate's copy, so the next read asks the store: the admin routes call it after a change,
 * so the isolate that served it (and a test driving it) sees the change at once.
 */
export function forgetActiveFaults(): void {
  cached = null;
  reading = null;
}

/** Adds injections to the faults' counters; a failure to count is logged, never thrown at the caller. */
export async function recordInjections(env: FaultsEnv, counts: ReadonlyMap<string, number>, log: Logger) {
  if (counts.size === 0) return;
  await faultStore(env)
    .recordInjections(Object.fromEntries(counts))
    .catch((err) =>
      log.error("fault.count-failed", { counts: Object.fromEntries(counts), ...errorFields(err) }),
    );
}
