/**
 * One run: N buyers place one order each at once, through the chain (`POST /chain/orders`, answered when
 * the order is done) or through crossdock (`POST /v1/orders`, answered 202, then the saga). A run ends
 * when every order is done — answered, for the chain; terminal in D1, for the saga — and workerd's CPU
 * and memory are read over that whole window, which is how long the system holds each order.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { queryDb } from "../lib/query-db";
import { type Distribution, distribution } from "../lib/stats";
import { type Placement, placeAtOnce } from "./fire";
import { type ProcessWindow, watchWorkerd } from "./process";
import type { Account } from "./seed";

export const PATHS = ["chain", "saga"] as const;
export type Path = (typeof PATHS)[number];
const ENDPOINT = { chain: "/chain/orders", saga: "/v1/orders" } as const;

/** How long the chain's orders may sit unchanged before the run stops waiting for them. */
const CHAIN_STALL_MS = 10_000;

export interface StepRow {
  name: string;
  status: string;
  attempts: number;
}

export interface OrderRow {
  id: string;
  status: string;
  steps: StepRow[];
  cancelReason: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface RunResult {
  path: Path;
  buyers: number;
  round: number;
  /**
   * Request start to answer (the 202 for the saga, the 201 or error for the chain); a request the client
   * gave up on counts at the time it gave up, so with `timeouts` > 0 the upper percentiles are lower bounds.
   */
  placement: Distribution;
  placementWallMs: number;
  /** Answers per second over the burst: buyers ÷ time until the last answer. */
  placementsPerSec: number;
  statuses: Record<string, number>;
  /** Requests not answered 201/202: errors and timeouts together. */
  failed: number;
  timeouts: number;
  /** Request start to the order's terminal status (`updated_at`), orders that got there. */
  toDone: Distribution;
  doneWallMs: number;
  /** Final order statuses in D1 by count; `missing` for answered orders without a row. */
  outcomes: Record<string, number>;
  orders: OrderRow[];
  placements: Placement[];
  workerd: ProcessWindow;
  sampleErrors: string[];
}

export const countBy = (values: readonly string[]) => {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
};

/** Terminal: cancelled or refunded, or confirmed with the capture settled (succeeded, or failed for good). */
export const isDone = (row: OrderRow) =>
  row.status === "cancelled" ||
  row.status === "refunded" ||
  (row.status === "confirmed" &&
    (row.steps.length === 0 ||
      row.steps.some(
        (s) => s.name === "capture-payment" && (s.status === "succeeded" || s.status === "failed"),
      )));

/** Orders created since `since`, through the runtime's query worker. */
export async function ordersSince(queryUrl: URL, since: number): Promise<OrderRow[]> {
  // Long: requests the client gave up on may still hold D1 when the run ends.
  const { results } = await queryDb(queryUrl, { timeoutMs: 120_000 })
    .prepare(
      "SELECT id, status, steps, cancel_reason, created_at, updated_at FROM orders WHERE created_at >= ?",
    )
    .bind(since)
    .all<{
      id: string;
      status: string;
      steps: string;
      cancel_reason: string | null;
      created_at: number;
      updated_at: number;
    }>();
  return results.map((r) => ({
    id: r.id,
    status: r.status,
    steps: JSON.parse(r.steps) as StepRow[],
    cancelReason: r.cancel_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

export interface RunSpec {
  url: URL;
  queryUrl: URL;
  path: Path;
  round: number;
  buyers: readonly Account[];
  quoteIds: readonly string[];
  paymentMethod: string;
  clientTimeoutMs: number;
  /** How long to wait for the saga's orders to be terminal. */
  doneTimeoutMs: number;
  log: (message: string) => void;
}

export async function runOnce(spec: RunSpec): Promise<RunResult> {
  const { path, buyers } = spec;
  const since = Date.now() - 1;
  const watch = watchWorkerd();
  const t0 = Date.now();
  const placements = await placeAtOnce(
    spec.url,
    ENDPOINT[path],
    buyers,
    spec.quoteIds,
    spec.paymentMethod,
    spec.clientTimeoutMs,
  );
  const placementWallMs = Date.now() - t0;
  // Every order created since the run began is this run's (runs are sequential, and the harness waits
  // for workerd to be idle between them), including those whose request the client gave up on.
  let rows: OrderRow[] = [];
  const deadline = Date.now() + spec.doneTimeoutMs;
  let lastChange = Date.now();
  let lastSeen = "";
  for (;;) {
    try {
      rows = await ordersSince(spec.queryUrl, since);
    } catch (err) {
      spec.log(`  ${path} ×${buyers.length}: reading orders failed (${(err as Error).message}); again`);
    }
    const done = rows.filter(isDone).length;
    const seen = `${rows.length} ${done} ${rows.reduce((n, r) => Math.max(n, r.updatedAt), 0)}`;
    if (seen !== lastSeen) [lastSeen, lastChange] = [seen, Date.now()];
    // The chain has nothing left to run once its requests have ended: an order it left unfinished
    // (its request cut off) stays so. The saga's orders move on their own until the deadline.
    const stalled = path === "chain" && Date.now() - lastChange > CHAIN_STALL_MS;
    if ((rows.length >= buyers.length && done === rows.length) || stalled || Date.now() > deadline) break;
    spec.log(`  ${path} ×${buyers.length}: ${done}/${rows.length} terminal`);
    await sleep(500);
  }
  const doneWallMs = Date.now() - t0;
  const workerd = watch.stop();
  const startOf = new Map(placements.map((p) => [p.orderId, p.startedAt]));
  const failed = placements.filter((p) => p.status !== 201 && p.status !== 202);
  const outcomes = countBy(rows.map((r) => (isDone(r) ? r.status : `${r.status} (not terminal)`)));
  const rowIds = new Set(rows.map((r) => r.id));
  const missing = placements.filter((p) => p.orderId !== null && !rowIds.has(p.orderId)).length;
  if (missing > 0) outcomes.missing = missing;
  return {
    path,
    buyers: buyers.length,
    round: spec.round,
    placement: distribution(placements.map((p) => p.latencyMs)),
    placementWallMs,
    placementsPerSec: (buyers.length / placementWallMs) * 1000,
    statuses: countBy(placements.map((p) => (p.timedOut ? "timeout" : String(p.status)))),
    failed: failed.length,
    timeouts: placements.filter((p) => p.timedOut).length,
    toDone: distribution(rows.filter(isDone).map((r) => r.updatedAt - (startOf.get(r.id) ?? r.createdAt))),
    doneWallMs,
    outcomes,
    orders: rows,
    placements,
    workerd,
    sampleErrors: [...new Set(failed.map((p) => p.error ?? ""))].slice(0, 5),
  };
}
