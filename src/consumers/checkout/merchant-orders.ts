import { sql } from "drizzle-orm";
import { orderLinesOf } from "../../flows/checkout/order-lines";
import { type OrderRow, type OrderStatusFact, orderRowFor } from "../../flows/checkout/order-view";
import { type MerchantOrderLine, merchantOrders } from "../../flows/checkout/schema";
import type { Db } from "../../platform/db/client";
import type { D1Consumer } from "../../platform/events/consumer";

type MerchantOrderRow = typeof merchantOrders.$inferInsert;

/** One desk row per merchant with a line in the order, holding only that merchant's lines. */
async function deskRowsOf(db: Db, row: OrderRow): Promise<MerchantOrderRow[]> {
  const byMerchant = new Map<string, MerchantOrderLine[]>();
  for (const l of await orderLinesOf(db, row)) {
    const lines = byMerchant.get(l.merchantId) ?? [];
    lines.push({
      productId: l.productId,
      title: l.title,
      quantity: l.quantity,
      unitPriceMinor: l.unitPrice,
      lineTotalMinor: l.amountMinor,
    });
    byMerchant.set(l.merchantId, lines);
  }
  return [...byMerchant].map(([merchantId, lines]) => ({
    orderId: row.id,
    merchantId,
    status: row.status,
    lines,
    subtotalMinor: lines.reduce((n, l) => n + l.lineTotalMinor, 0),
    currency: row.currency,
    version: row.version,
    placedAt: row.createdAt,
    updatedAt: row.updatedAt,
  }));
}

/**
 * Keeps `merchant_orders` (GET /v1/merchant/orders). Like order-projection it never trusts the fact's
 * data for the state: it re-reads the order's row and upserts each merchant's row only when the order's
 * `version` is newer than the row's, so late, repeated or reordered deliveries never move a row back.
 */
export const merchantOrdersConsumer = {
  name: "merchant-orders",
  effect: "d1",
  async handle(event, { db }) {
    switch (event.type) {
      case "order.placed":
      case "order.confirmed":
      case "order.cancellation_started":
      case "order.cancelled":
      case "order.refund_requested":
      case "order.refunded": {
        const row = await orderRowFor(db, event, "merchant-orders");
        // One statement per merchant: an order has few, and each stays well inside D1's 100 parameters.
        return (await deskRowsOf(db, row)).map((desk) =>
          db
            .insert(merchantOrders)
            .values(desk)
            .onConflictDoUpdate({
              target: [merchantOrders.orderId, merchantOrders.merchantId],
              set: {
                status: sql.raw("excluded.status"),
                lines: sql.raw("excluded.lines"),
                subtotalMinor: sql.raw("excluded.subtotal_minor"),
                version: sql.raw("excluded.version"),
                updatedAt: sql.raw("excluded.updated_at"),
              },
              setWhere: sql`excluded.version > ${merchantOrders.version}`,
            }),
        );
      }
      default: {
        const unhandled: never = event;
        throw new Error(`merchant-orders: unexpected event ${JSON.stringify(unhandled)}`);
      }
    }
  },
} satisfies D1Consumer<OrderStatusFact>;
