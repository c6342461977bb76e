import { z } from "zod";
import type { orders, orderViews } from "../schema-orders";

export type OrderRow = typeof orders.$inferSelect;
export type OrderViewRow = typeof orderViews.$inferSelect;

const Quantities = z.array(z.object({ quantity: z.number().int().nonnegative() }));

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
    itemCount: Quantities.parse(row.lines).reduce((n, l) => n + l.quantity, 0),
    version: row.version,
    placedAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
