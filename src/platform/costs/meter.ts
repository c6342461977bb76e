import { AsyncLocalStorage } from "node:async_hooks";
import { addUsage, emptyUsage, type Usage, type UsageField } from "./model";

/**
 * Who pays for an operation: the flow of the route, consumer or Durable Object that caused it, and the
 * consumer when a queue batch did. Mutable on purpose: a request's flow is known only once the router
 * has matched it, and everything the request starts (its `waitUntil` relay included) shares the object.
 */
export interface CostScope {
  flow: string;
  consumer?: string;
}

const scopes = new AsyncLocalStorage<CostScope>();

/** Operations nobody claimed (a binding used outside any metered invocation). */
export const UNATTRIBUTED = "unattributed";

/**
 * Counters since this isolate started, and for the current UTC day. Per isolate, like any in-memory
 * counter on Workers: an isolate that is evicted loses them, and each isolate counts only what it ran.
 * Under `wrangler dev`, the tests and the bench one isolate runs the worker and its Durable Objects, so
 * it sees everything; in production `/ops/costs` answers for the isolate that served it.
 */
interface Ledger {
  since: number;
  flows: Map<string, Usage>;
  consumers: Map<string, Usage>;
}

const newLedger = (since: number): Ledger => ({ since, flows: new Map(), consumers: new Map() });
const dayStart = (now: number) => now - (now % 86_400_000);

// Module scope runs outside any request, where workerd's clock reads 0: `since` is taken from the first
// request that counts or reads instead (see `started`), or /ops/costs would say "since 1970".
let total = newLedger(0);
let today = newLedger(dayStart(0));

function started(now: number) {
  if (total.since === 0) total.since = now;
  if (dayStart(now) !== today.since) today = newLedger(dayStart(now));
}

function bump(map: Map<string, Usage>, key: string, field: UsageField, n: number) {
  let u = map.get(key);
  if (!u) {
    u = emptyUsage();
    map.set(key, u);
  }
  u[field] += n;
}

/** Adds `n` to `field` for the current scope (or `fallback`, e.g. a Durable Object's own flow). */
export function count(field: UsageField, n: number, fallback?: CostScope): void {
  if (n === 0) return;
  const scope = scopes.getStore() ?? fallback;
  started(Date.now());
  for (const ledger of [total, today]) {
    bump(ledger.flows, scope?.flow ?? UNATTRIBUTED, field, n);
    if (scope?.consumer) bump(ledger.consumers, scope.consumer, field, n);
  }
}

/** The scope operations are being counted for right now, if any. */
export const currentScope = (): CostScope | undefined => scopes.getStore();

/**
 * Runs `fn` with its operations counted for `scope`, and counts the invocation and its wall time: a
 * Worker invocation's, or a Durable Object's for its alarm (`doRequests`; RPC calls are counted at the
 * stub that makes them, `metered-env.ts`).
 *
 * @example
 * fetch: (req, env, ctx) => metered({ flow: "platform" }, "fetches", () => app.fetch(req, meteredEnv(env), ctx)),
 */
export async function metered<T>(
  scope: CostScope,
  invocation: "fetches" | "queueBatches" | "crons" | "doRequests",
  fn: () => Promise<T>,
): Promise<T> {
  return scopes.run(scope, async () => {
    const started = Date.now();
    try {
      return await fn();
    } finally {
      // Counted at the end, when a request's flow is known.
      count(invocation, 1);
      count(invocation === "doRequests" ? "doWallMs" : "workerWallMs", Date.now() - started);
    }
  });
}

export interface CostCounters {
  since: number;
  flows: Record<string, Usage>;
  consumers: Record<string, Usage>;
}

const copy = (l: Ledger): CostCounters => ({
  since: l.since,
  flows: Object.fromEntries([...l.flows].map(([k, u]) => [k, addUsage(emptyUsage(), u)])),
  consumers: Object.fromEntries([...l.consumers].map(([k, u]) => [k, addUsage(emptyUsage(), u)])),
});

/** A copy of this isolate's counters: since it started, and today (UTC). */
export function readCounters(now = Date.now()): { total: CostCounters; today: CostCounters } {
  started(now);
  return { total: copy(total), today: copy(today) };
}

/** Zeroes the counters: for tests and the bench, which measure from a known start. */
export function resetCounters(now = Date.now()): void {
  total = newLedger(now);
  today = newLedger(dayStart(now));
}
