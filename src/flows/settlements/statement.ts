import { type LedgerEntry, type SettlementLedger, settle } from "./ledger";

export interface StatementHeader {
  settlementId: string;
  merchantId: string;
  periodStart: number;
  periodEnd: number;
  currency: string;
  feeBps: number;
  payoutId: string | null;
}

/** RFC 4180: quote a field holding a comma, quote or line break, doubling its quotes. */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const row = (...fields: (string | number)[]) => `${fields.map(csvField).join(",")}\r\n`;
const iso = (ms: number) => new Date(ms).toISOString();

/** What the statement says about the money: paid, nothing due, or owed by the merchant. */
export function payoutOutcome(payoutMinor: number, currency: string): string {
  if (payoutMinor > 0) return `Paid out ${payoutMinor} ${currency} (minor units)`;
  if (payoutMinor === 0) return "No payout: nothing is due for this period";
  return `No payout: the merchant owes ${-payoutMinor} ${currency} (minor units)`;
}

/**
 * The settlement's CSV statement (RFC 4180, CRLF): a summary block, a blank line, the ledger, a blank
 * line, then every order entry settled with its fee. Deterministic for the same input, so a rewrite
 * after a redelivery stores the same bytes.
 *
 * @example
 * const csv = renderStatement(header, settle(entries, 1000));
 */
export function renderStatement(header: StatementHeader, ledger: SettlementLedger): string {
  let out = "";
  out += row("settlement_id", header.settlementId);
  out += row("merchant_id", header.merchantId);
  out += row("period_start", iso(header.periodStart));
  out += row("period_end", iso(header.periodEnd));
  out += row("currency", header.currency);
  out += row("platform_fee_bps", header.feeBps);
  out += row("gross_sales_minor", ledger.grossSalesMinor);
  out += row("fees_minor", ledger.feesMinor);
  out += row("refunds_minor", ledger.refundsMinor);
  out += row("payout_minor", ledger.payoutMinor);
  out += row("payout_id", header.payoutId ?? "");
  out += row("outcome", payoutOutcome(ledger.payoutMinor, header.currency));
  out += "\r\n";
  out += row("account", "debit_minor", "credit_minor", "description");
  for (const l of ledger.lines) out += row(l.account, l.debitMinor, l.creditMinor, l.description);
  out += "\r\n";
  out += row("order_id", "kind", "amount_minor", "fee_minor", "occurred_at");
  for (const e of ledger.entries) out += row(e.orderId, e.kind, e.amountMinor, e.feeMinor, iso(e.occurredAt));
  return out;
}

/** The totals a settled settlement stored. */
export interface StoredTotals {
  grossSalesMinor: number | null;
  feesMinor: number | null;
  refundsMinor: number | null;
  payoutMinor: number | null;
}

/**
 * The statement of a settled settlement, rebuilt from the entries it claimed: the same bytes the
 * settlements consumer wrote, since both are `renderStatement(header, settle(entries, feeBps))`. Null
 * when the entries at `header.feeBps` no longer give the stored totals (the fee rate changed since), for
 * then it would not be the statement the merchant was sent.
 *
 * @example
 * const csv = rebuiltStatement(header, row, await entriesOf(db, row.id)) ?? fail();
 */
export function rebuiltStatement(
  header: StatementHeader,
  stored: StoredTotals,
  entries: readonly LedgerEntry[],
): string | null {
  const ledger = settle(entries, header.feeBps);
  const same =
    ledger.grossSalesMinor === stored.grossSalesMinor &&
    ledger.feesMinor === stored.feesMinor &&
    ledger.refundsMinor === stored.refundsMinor &&
    ledger.payoutMinor === stored.payoutMinor;
  return same ? renderStatement(header, ledger) : null;
}
