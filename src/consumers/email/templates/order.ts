import { CANCEL_REASONS } from "../../../flows/checkout";
import { formatMoney } from "../../../flows/pricing/money";
import type { EventData } from "../../../platform/events/registry";
import { escapeHtml, layout, type RenderedEmail } from "./html";

type Confirmed = EventData<"order.confirmed">;
type Cancelled = EventData<"order.cancelled">;

/** Product titles by id, as far as the catalog still knows them; an unknown id shows as itself. */
export type ProductTitles = ReadonlyMap<string, string>;

// Emails format money as the pages do (src/flows/pricing/money.ts); re-exported for the other templates.
export { formatMoney };

function lineTexts(order: Confirmed | Cancelled, titles: ProductTitles): string[] {
  return order.lines.map(
    (l) =>
      `${l.quantity} × ${titles.get(l.productId) ?? l.productId} — ${formatMoney(l.unitPrice * l.quantity, order.currency)}`,
  );
}

function render(subject: string, paragraphs: string[], lines: string[]): RenderedEmail {
  const [intro, ...outro] = paragraphs;
  const text = [intro, lines.map((l) => `- ${l}`).join("\n"), ...outro].join("\n\n");
  const linesHtml = lines.map(escapeHtml).join("<br>");
  return {
    subject,
    text: `${text}\n`,
    html: layout(subject, [escapeHtml(intro ?? ""), linesHtml, ...outro.map(escapeHtml)]),
  };
}

/**
 * The buyer's confirmation: what they bought and the total they will be charged.
 *
 * @example
 * renderOrderConfirmed(data, new Map()).subject; // "Your Crossdock order ord_01 is confirmed"
 */
export function renderOrderConfirmed(order: Confirmed, titles: ProductTitles): RenderedEmail {
  return render(
    `Your Crossdock order ${order.orderId} is confirmed`,
    [
      "Thank you for your order. It is confirmed and on its way to the sellers:",
      `Total: ${formatMoney(order.amount, order.currency)}`,
      "The Crossdock team",
    ],
    lineTexts(order, titles),
  );
}

/**
 * The buyer's cancellation notice, with the reason they can read ("your card was declined") and the
 * reassurance that nothing was charged.
 */
export function renderOrderCancelled(order: Cancelled, titles: ProductTitles): RenderedEmail {
  const why = CANCEL_REASONS[order.reason.code].requested
    ? `Your order was ${order.reason.message}.`
    : `Your order was cancelled: ${order.reason.message}.`;
  return render(
    `Your Crossdock order ${order.orderId} was cancelled`,
    [
      `${why} These items will not be sent:`,
      `You have not been charged; any hold on your card for ${formatMoney(order.amount, order.currency)} is released.`,
      "The Crossdock team",
    ],
    lineTexts(order, titles),
  );
}
