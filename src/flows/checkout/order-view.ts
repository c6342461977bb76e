import { eq } from "drizzle-orm";
import type { Db } from "../../platform/db/client";
import { orders, type orderViews } from "./schema";

export type OrderRow = typeof orders.$inferSelect;
export type OrderViewRow = typeof orderViews.$inferSelect;

/**
 * The buyer's list entry for an order, derived from the order's row (the write model): the one place
 * the read model's columns are computed, for the projection and for reads that must show an order
 * the projection has not reached yet.
 *
 * @example
 * db.insert(orderViews).values(orderViewOf(row));
 */
export function orderViewOf(row: OrderRow): OrderViewRow {
  return {
    id: row.id,
    buyerId: row.buyerId,
    status: row.status,
    statusMessage: row.statusMessage,
    totalMinor: row.totalMinor,
    currency: row.currency,
    itemCount: row.lines.reduce((n, l) => n + l.quantity, 0),
    version: row.version,
    placedAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The order facts that move an order's status: what the order read models (buyer's list, desks) hear. */
export type OrderStatusFact =
  | "order.placed"
  | "order.confirmed"
  | "order.cancellation_started"
  | "order.cancelled"
  | "order.refund_requested"
  | "order.refunded";

/**
 * The order's row for one of its facts, re-read because the row (not the fact) is the state. The saga
 * commits the row with the fact, so a missing row means something is badly wrong: throw, so the
 * consumer retries, loudly.
 *
 * @example
 * const row = await orderRowFor(db, event, "order-projection");
 */
export async function orderRowFor(
  db: Db,
  event: { type: string; data: { orderId: string } },
  consumer: string,
): Promise<OrderRow> {
  const row = await db.select().from(orders).where(eq(orders.id, event.data.orderId)).get();
  if (!row) throw new Error(`${consumer}: no order ${event.data.orderId} for ${event.type}`);
  return row;
}
