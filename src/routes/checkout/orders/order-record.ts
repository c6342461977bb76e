import type { z } from "@hono/zod-openapi";
import { orderDetails } from "../../../durable-objects/checkout/order-saga-client";
import { evolve, type OrderDetails, type OrderLine, statusMessage } from "../../../flows/checkout";
import type { OrderRow } from "../../../flows/checkout/order-view";
import type { QuoteRow } from "../../../flows/pricing/schema";
import { type QuoteLineSchema, QuoteLinesSchema } from "../../pricing/quotes.schemas";

export type { OrderRow };

/**
 * The order's row before its saga has run: the state the saga itself reaches on `order.placed`
 * (computed by the same `evolve`, so the route's version and message agree with the saga's), and the
 * `order.placed` data built from the same lines.
 *
 * @example
 * const { row, details } = newOrder(quote, merchantOf, { id, buyerId, paymentMethod: "pm_card", now });
 *
 * `quoteLines` is the quote's lines already parsed, for a caller that parsed them first (placement reads
 * them to check the products are still sold): parsing the same lines twice per order was measurable.
 */
export function newOrder(
  quote: QuoteRow,
  merchantOf: ReadonlyMap<string, string>,
  meta: { id: string; buyerId: string; paymentMethod: string; now: number },
  quoteLines: readonly z.infer<typeof QuoteLineSchema>[] = QuoteLinesSchema.parse(quote.lines),
): { row: OrderRow; details: OrderDetails } {
  const lines: OrderLine[] = quoteLines.map((line) => {
    const merchantId = merchantOf.get(line.productId);
    if (merchantId === undefined) throw new Error(`no merchant for ${line.productId}`);
    return { ...line, merchantId };
  });
  const details = orderDetails({
    id: meta.id,
    buyerId: meta.buyerId,
    lines,
    totalMinor: quote.totalMinor,
    currency: quote.currency,
    paymentMethod: meta.paymentMethod,
  });
  const placed = evolve(null, { type: "order.placed", at: meta.now, data: details });
  const row: OrderRow = {
    id: meta.id,
    buyerId: meta.buyerId,
    quoteId: quote.id,
    paymentMethod: meta.paymentMethod,
    lines,
    merchantIds: [...new Set(lines.map((l) => l.merchantId))],
    subtotalMinor: quote.subtotalMinor,
    discountMinor: quote.discountMinor,
    shippingMinor: quote.shippingMinor,
    taxMinor: quote.taxMinor,
    totalMinor: quote.totalMinor,
    currency: quote.currency,
    status: placed.status,
    statusMessage: statusMessage(placed),
    version: placed.version,
    cancelReason: null,
    steps: [],
    createdAt: meta.now,
    updatedAt: meta.now,
  };
  return { row, details };
}
