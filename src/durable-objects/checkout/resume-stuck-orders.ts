import { and, asc, eq, inArray, lt, type SQL } from "drizzle-orm";
import type { OrderDetails } from "../../flows/checkout";
import { ORDER_STATUSES, orders } from "../../flows/checkout/schema";
import { getDb } from "../../platform/db/client";
import { outbox } from "../../platform/events/schema";
import { toCurrent } from "../../platform/events/upcast";
import { errorFields, type Logger } from "../../platform/observability/logger";
import type { SagaCause } from "./d1-record";
import { orderDetails, orderSaga } from "./order-saga-client";

/** Orders nudged per run at most, oldest first; the next run (a minute later) takes the rest. */
export const RESUME_BATCH = 100;

type OrderStatus = (typeof ORDER_STATUSES)[number];
/**
 * Statuses a saga leaves on its own. `confirmed` is not among them: it is where most orders rest for
 * good, so the row's status cannot tell a capture in flight from a finished order.
 */
export const MOVING_STATUSES: readonly OrderStatus[] = ORDER_STATUSES.filter(
  (s) => s === "pending" || s === "cancelling" || s === "refunding",
);

/** ORDER_STUCK_SECONDS in milliseconds; a missing or malformed value falls back to 15 s. */
export function orderStuckMs(env: Pick<Env, "ORDER_STUCK_SECONDS">): number {
  const seconds = Number(env.ORDER_STUCK_SECONDS);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 15) * 1000;
}

/**
 * An order whose saga stopped moving: in a status the saga leaves on its own, its row unchanged for
 * ORDER_STUCK_SECONDS. What this cron nudges, and what the console lists first.
 *
 * @example
 * db.select().from(orders).where(and(isStuck(env, now), eq(orders.buyerId, buyerId)));
 */
export function isStuck(env: Pick<Env, "ORDER_STUCK_SECONDS">, now: number): SQL {
  return and(inArray(orders.status, [...MOVING_STATUSES]), lt(orders.updatedAt, now - orderStuckMs(env)))!;
}

export interface ResumeOutcome {
  /** Orders found stuck (at most RESUME_BATCH). */
  stuck: number;
  /** Of those, sagas that had never started and were started now. */
  started: number;
  failed: number;
}

/**
 * Finds orders whose saga stopped moving — pending, cancelling or refunding, their row untouched for
 * ORDER_STUCK_SECONDS — and nudges each saga with `start`, oldest first, RESUME_BATCH per run:
 *
 * - a saga never started (its `order.placed` lost, or the process died before the consumer ran) is
 *   started from the stored fact: the `order.placed` envelope in the outbox, so its facts join the
 *   order's trace, or, once the outbox has pruned it, from the order row;
 * - a saga that exists is only re-armed (`start` is idempotent; see OrderSaga.start), which resumes one
 *   whose alarm was lost with its process. A live saga merely waiting for a retry is not disturbed.
 *
 * Each nudge is logged with the order id and how long the order was stuck. Run by the every-minute cron.
 */
export async function resumeStuckOrders(env: Env, now: number, log: Logger): Promise<ResumeOutcome> {
  const db = getDb(env.DB);
  const stuck = await db
    .select()
    .from(orders)
    .where(isStuck(env, now))
    .orderBy(asc(orders.updatedAt))
    .limit(RESUME_BATCH);
  const outcome: ResumeOutcome = { stuck: stuck.length, started: 0, failed: 0 };
  if (stuck.length === 0) return outcome;

  const facts = await db
    .select({ subject: outbox.subject, envelope: outbox.envelope })
    .from(outbox)
    .where(
      and(
        eq(outbox.type, "order.placed"),
        inArray(
          outbox.subject,
          stuck.map((o) => o.id),
        ),
      ),
    );
  const placed = new Map(facts.map((f) => [f.subject, f.envelope]));

  for (const order of stuck) {
    const fields = { orderId: order.id, status: order.status, stuckMs: now - order.updatedAt };
    try {
      const from = startFrom(order, placed.get(order.id));
      const { started } = await orderSaga(env, order.id).start(from.details, from.cause);
      if (started) outcome.started++;
      log.info("checkout.order-resumed", { ...fields, started, from: from.cause ? "outbox" : "row" });
    } catch (err) {
      outcome.failed++;
      log.error("checkout.order-resume-failed", { ...fields, ...errorFields(err) });
    }
  }
  return outcome;
}

/** The saga's start message: the stored `order.placed` fact when the outbox still has it, else the row. */
function startFrom(
  order: Parameters<typeof orderDetails>[0],
  envelope: string | undefined,
): { details: OrderDetails; cause?: SagaCause } {
  if (envelope === undefined) return { details: orderDetails(order) };
  const fact = toCurrent(JSON.parse(envelope));
  if (fact.type !== "order.placed") throw new Error(`outbox row of ${order.id} is ${fact.type}`);
  return {
    details: fact.data,
    cause: { id: fact.id, correlationid: fact.correlationid, traceparent: fact.traceparent },
  };
}
