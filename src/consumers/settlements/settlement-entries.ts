import { eq } from "drizzle-orm";
import { orders } from "../../flows/checkout/schema";
import { merchantAmounts } from "../../flows/settlements/attribution";
import { settlementEntries } from "../../flows/settlements/schema";
import type { D1Consumer } from "../../platform/events/consumer";

type EntryEvent = "order.confirmed" | "order.refunded";

/**
 * Keeps `settlement_entries`, the settlement read model: on `order.confirmed` one `sale` entry per
 * merchant of the order, on `order.refunded` one `refund` entry, each at the fact's time. The amounts
 * come from the order's row (its lines carry the line discounts the event does not), which never
 * changes after the order is placed. The key (order, merchant, kind) makes a redelivered or repeated
 * fact a no-op, and the runtime commits these rows with its dedup row.
 */
export const settlementEntriesConsumer = {
  name: "settlement-entries",
  effect: "d1",
  async handle(event, { db, now }) {
    const kind = event.type === "order.confirmed" ? "sale" : "refund";
    const order = await db
      .select({ lines: orders.lines, currency: orders.currency })
      .from(orders)
      .where(eq(orders.id, event.data.orderId))
      .get();
    // The row commits before its facts, so it exists; if not, something is badly wrong: retry, loudly.
    if (!order) throw new Error(`settlement-entries: no order ${event.data.orderId} for ${event.type}`);
    const occurredAt = Date.parse(event.time);
    return merchantAmounts(order.lines).map(({ merchantId, amountMinor }) =>
      db
        .insert(settlementEntries)
        .values({
          orderId: event.data.orderId,
          merchantId,
          kind,
          currency: order.currency,
          amountMinor,
          occurredAt,
          eventId: event.id,
          settlementId: null,
          recordedAt: now,
        })
        .onConflictDoNothing(),
    );
  },
} satisfies D1Consumer<EntryEvent>;
