import { FORWARD_STEPS } from "../../src/flows/checkout/steps";
import { type Distribution, distribution } from "../lib/stats";

/**
 * Where an order's time goes on its way to a terminal status, from timestamps the system already
 * records: the request's start (the harness), the `orders` row (`created_at`, `updated_at`, and each
 * step run's start and finish in `steps`), the `order.placed` outbox row (`created_at`, `published_at`)
 * and the order-saga consumer's first attempt (`consumer_attempts.started_at`).
 *
 * A step run starts when the saga decides to issue it and finishes when its answer is decided, so a
 * step's time includes the wait for the wake-up that runs it as well as its effect; the pipeline floor
 * measures the effect alone.
 */
export interface OrderTimes {
  requestAt: number;
  createdAt: number;
  outboxAt: number;
  publishedAt: number | null;
  consumedAt: number | null;
  updatedAt: number;
  steps: { name: string; startedAt: number; finishedAt: number | null }[];
}

export const HOPS = [
  ["front", "request start → order row written"],
  ["relay", "order row → `order.placed` published"],
  ["queue", "published → order-saga consumer picks it up"],
  ["saga start", "consumer → saga started (first step issued)"],
  ["reserve-inventory", "issued → answered (wake-up + effect)"],
  ["authorize-payment", "issued → answered (wake-up + effect)"],
  ["confirm-order", "issued → answered (wake-up + effect)"],
  ["capture-payment", "issued → answered (wake-up + effect)"],
  ["between steps", "an answer → the next step issued (sum of 3)"],
  ["to terminal", "request start → terminal row (`updated_at`)"],
] as const;
export type Hop = (typeof HOPS)[number][0];

/** Each hop's duration for one order (ms); a hop the order lacks (a cancelled order's capture) is absent. */
export function hopsOf(o: OrderTimes): Partial<Record<Hop, number>> {
  const out: Partial<Record<Hop, number>> = {
    front: o.createdAt - o.requestAt,
    "to terminal": o.updatedAt - o.requestAt,
  };
  if (o.publishedAt !== null) out.relay = o.publishedAt - o.outboxAt;
  if (o.publishedAt !== null && o.consumedAt !== null) out.queue = o.consumedAt - o.publishedAt;
  const first = o.steps.find((s) => s.name === FORWARD_STEPS[0]);
  if (first && o.consumedAt !== null) out["saga start"] = first.startedAt - o.consumedAt;
  let between = 0;
  let previous: number | null = null;
  for (const name of FORWARD_STEPS) {
    // The last run of a step: the one that answered for good.
    const run = o.steps.filter((s) => s.name === name).at(-1);
    if (!run || run.finishedAt === null) break;
    out[name] = run.finishedAt - run.startedAt;
    if (previous !== null) between += run.startedAt - previous;
    previous = run.finishedAt;
  }
  out["between steps"] = between;
  return out;
}

/** The distribution of each hop over many orders. */
export function hopTable(orders: readonly OrderTimes[]): { hop: Hop; what: string; d: Distribution }[] {
  const all = orders.map(hopsOf);
  return HOPS.map(([hop, what]) => ({
    hop,
    what,
    d: distribution(all.map((h) => h[hop]).filter((v): v is number => v !== undefined)),
  }));
}
