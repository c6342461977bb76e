import type { EventData } from "../../../platform/events/registry";
import { escapeHtml, layout, type RenderedEmail } from "./html";
import { formatMoney } from "./order";

type Completed = EventData<"settlement.completed">;

/** What the period came to, in words: the payout, nothing due, or what the merchant owes. */
function outcome(s: Completed): string {
  if (s.payoutMinor > 0)
    return `We paid out ${formatMoney(s.payoutMinor, s.currency)} (payout ${s.payoutId ?? "pending"}).`;
  if (s.payoutMinor === 0) return "Nothing is due for this period, so no payout was made.";
  return `Refunds and fees exceeded sales: you owe ${formatMoney(-s.payoutMinor, s.currency)}; no payout was made.`;
}

/**
 * The merchant's statement email for a settled day: the totals, the outcome, and where to download the
 * CSV statement.
 *
 * @example
 * renderSettlementStatement(data).subject; // "Your Crossdock statement for 2026-11-26"
 */
export function renderSettlementStatement(s: Completed): RenderedEmail {
  const day = s.periodStart.slice(0, 10);
  const subject = `Your Crossdock statement for ${day}`;
  const totals = [
    `Gross sales: ${formatMoney(s.grossSalesMinor, s.currency)}`,
    `Platform fees: ${formatMoney(s.feesMinor, s.currency)}`,
    `Refunds: ${formatMoney(s.refundsMinor, s.currency)}`,
    `Payout: ${formatMoney(s.payoutMinor, s.currency)}`,
  ];
  const paragraphs = [
    `Here is your settlement ${s.settlementId} for ${day} (UTC).`,
    outcome(s),
    `Download the statement (CSV): GET /v1/settlements/${s.settlementId}/statement`,
    "The Crossdock team",
  ];
  const [intro, ...outro] = paragraphs;
  const text = [intro, totals.map((l) => `- ${l}`).join("\n"), ...outro].join("\n\n");
  return {
    subject,
    text: `${text}\n`,
    html: layout(subject, [
      escapeHtml(intro ?? ""),
      totals.map(escapeHtml).join("<br>"),
      ...outro.map(escapeHtml),
    ]),
  };
}
