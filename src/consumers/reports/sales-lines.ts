import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { orderLinesOf } from "../../flows/checkout/order-lines";
import { orders } from "../../flows/checkout/schema";
import { type SalesLineRow, salesLines } from "../../flows/reports/schema";
import type { Db } from "../../platform/db/client";
import type { D1Consumer } from "../../platform/events/consumer";
import type { CurrentEvent } from "../../platform/events/upcast";

type SalesEvent = "order.confirmed" | "order.refunded";

/** When the order was confirmed: its confirm step's end on the row, else the fact's own time. */
function confirmedAt(steps: unknown, fallback: number): number {
  const confirm = z
    .array(z.object({ name: z.string(), status: z.string(), finishedAt: z.number().nullable() }).loose())
    .safeParse(steps);
  const step = confirm.success
    ? confirm.data.find((s) => s.name === "confirm-order" && s.status === "succeeded")
    : undefined;
  return step?.finishedAt ?? fallback;
}

async function linesOf(db: Db, event: CurrentEvent<SalesEvent>, now: number): Promise<SalesLineRow[]> {
  const row = await db.select().from(orders).where(eq(orders.id, event.data.orderId)).get();
  // The saga writes the row in the batch that records the fact; if it is missing, retry, loudly.
  if (!row) throw new Error(`sales-lines: no order ${event.data.orderId} for ${event.type}`);
  const lines = await orderLinesOf(db, row);
  const at = Date.parse(event.time);
  const refunded = event.type === "order.refunded";
  return lines.map((l, lineNo) => ({
    orderId: row.id,
    lineNo,
    merchantId: l.merchantId,
    productId: l.productId,
    sku: l.sku,
    title: l.title,
    quantity: l.quantity,
    unitPriceMinor: l.unitPrice,
    amountMinor: l.amountMinor,
    discountMinor: l.discount,
    taxMinor: l.tax,
    currency: row.currency,
    confirmedAt: confirmedAt(row.steps, at),
    refundedAt: refunded ? at : null,
    status: refunded ? "refunded" : "confirmed",
    updatedAt: now,
  }));
}

/**
 * Keeps `sales_lines`, the merchants' sales read model (the sales and products reports read it). Each
 * fact re-reads the order's row and writes one row per line, keyed by (order, line number), so a
 * redelivery rewrites the same rows. The two facts commute: `order.confirmed` never touches the
 * refund columns (a late confirmation cannot un-refund a line), and `order.refunded` writes every
 * column, so it also stands in for a confirmation it overtook.
 */
export const salesLinesConsumer = {
  name: "sales-lines",
  effect: "d1",
  async handle(event, { db, now }) {
    switch (event.type) {
      case "order.confirmed":
      case "order.refunded": {
        const rows = await linesOf(db, event, now);
        const refund = event.type === "order.refunded";
        const set = {
          // A confirmation never touches the refund columns: it cannot un-refund a line it arrives after.
          ...(refund
            ? { status: sql.raw("excluded.status"), refundedAt: sql.raw("excluded.refunded_at") }
            : {}),
          sku: sql.raw("coalesce(sales_lines.sku, excluded.sku)"),
          updatedAt: sql.raw("excluded.updated_at"),
        };
        // Multi-row inserts within D1's 100 bound parameters per statement.
        const perStatement = Math.floor(100 / Object.keys(rows[0] ?? { x: 0 }).length);
        const statements = [];
        for (let i = 0; i < rows.length; i += perStatement) {
          statements.push(
            db
              .insert(salesLines)
              .values(rows.slice(i, i + perStatement))
              .onConflictDoUpdate({ target: [salesLines.orderId, salesLines.lineNo], set }),
          );
        }
        return statements;
      }
      default: {
        const unhandled: never = event;
        throw new Error(`sales-lines: unexpected event ${JSON.stringify(unhandled)}`);
      }
    }
  },
} satisfies D1Consumer<SalesEvent>;
