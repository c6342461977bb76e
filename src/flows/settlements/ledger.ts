/**
 * A settlement's maths, pure: from the entries it settles and the platform fee rate to the totals and
 * a double-entry ledger that always balances (docs/ARCHITECTURE.md, Settlements).
 *
 * - The platform fee is `feeBps` basis points of each sale, rounded half up per order (so each line
 *   of the statement shows the fee it paid). A refund returns the fee of the sale it reverses: the
 *   same amount at the same rate, hence the same rounded fee — the merchant pays no fee on money they
 *   gave back.
 * - fees = fees on sales − fees returned on refunds; payout = gross sales − fees − refunds. Both are
 *   signed: a period whose refunds (of earlier periods' sales) exceed its sales has a negative payout,
 *   the amount the merchant owes, and nothing is paid out.
 */

/** A merchant's part of a confirmed order (`sale`), or of a refunded one given back (`refund`). */
export const SETTLEMENT_ENTRY_KINDS = ["sale", "refund"] as const;
export type SettlementEntryKind = (typeof SETTLEMENT_ENTRY_KINDS)[number];

export const ACCOUNTS = {
  /** Buyers' money the platform holds on the merchant's behalf. */
  cash: "platform_cash",
  /** What the platform owes the merchant; every settlement brings it back to zero. */
  payable: "merchant_payable",
  feeRevenue: "platform_fee_revenue",
  /** What the merchant owes the platform when a period's payout is negative. */
  receivable: "merchant_receivable",
} as const;

export interface LedgerEntry {
  orderId: string;
  kind: SettlementEntryKind;
  amountMinor: number;
  occurredAt: number;
}

export interface LedgerLine {
  account: string;
  debitMinor: number;
  creditMinor: number;
  description: string;
}

export interface SettlementLedger {
  grossSalesMinor: number;
  feesMinor: number;
  refundsMinor: number;
  payoutMinor: number;
  lines: LedgerLine[];
  /** The entries with the fee each charged (sale) or returned (refund), for the statement. */
  entries: (LedgerEntry & { feeMinor: number })[];
}

/**
 * `bps` basis points of `amount`, rounded half up; exact for any safe integer amount.
 *
 * @example
 * feeOf(1005, 1000); // 101 (100.5 rounds up)
 */
export function feeOf(amountMinor: number, bps: number): number {
  const twice = (BigInt(amountMinor) * BigInt(bps) * 2n + 10_000n) / 20_000n;
  return Number(twice);
}

/** `1000` → `10.00%`. */
const percent = (bps: number) => `${(bps / 100).toFixed(2)}%`;

/**
 * Computes a settlement from its entries.
 *
 * @example
 * settle([{ orderId: "ord_1", kind: "sale", amountMinor: 10_000, occurredAt }], 1000).payoutMinor; // 9000
 */
export function settle(entries: readonly LedgerEntry[], feeBps: number): SettlementLedger {
  if (!Number.isInteger(feeBps) || feeBps < 0 || feeBps > 10_000)
    throw new RangeError(`feeBps must be an integer in 0..10000, got ${feeBps}`);
  const withFees = entries.map((e) => ({ ...e, feeMinor: feeOf(e.amountMinor, feeBps) }));
  const sum = (kind: SettlementEntryKind, field: "amountMinor" | "feeMinor") =>
    withFees.filter((e) => e.kind === kind).reduce((n, e) => n + e[field], 0);
  const count = (kind: SettlementEntryKind) => withFees.filter((e) => e.kind === kind).length;

  const gross = sum("sale", "amountMinor");
  const refunds = sum("refund", "amountMinor");
  const feesCharged = sum("sale", "feeMinor");
  const feesReturned = sum("refund", "feeMinor");
  const fees = feesCharged - feesReturned;
  const payout = gross - fees - refunds;

  const lines: LedgerLine[] = [];
  const post = (amount: number, debit: string, credit: string, description: string) => {
    if (amount === 0) return;
    lines.push({ account: debit, debitMinor: amount, creditMinor: 0, description });
    lines.push({ account: credit, debitMinor: 0, creditMinor: amount, description });
  };
  const { cash, payable, feeRevenue, receivable } = ACCOUNTS;
  post(gross, cash, payable, `Gross sales (${count("sale")} orders)`);
  post(feesCharged, payable, feeRevenue, `Platform fee ${percent(feeBps)} of sales`);
  post(refunds, payable, cash, `Refunds to buyers (${count("refund")} orders)`);
  post(feesReturned, feeRevenue, payable, "Platform fee returned on refunds");
  if (payout > 0) post(payout, payable, cash, "Payout to the merchant");
  else
    post(
      -payout,
      receivable,
      payable,
      "Owed by the merchant: refunds and fees exceed sales, nothing paid out",
    );

  return {
    grossSalesMinor: gross,
    feesMinor: fees,
    refundsMinor: refunds,
    payoutMinor: payout,
    lines,
    entries: withFees,
  };
}

/** The ledger's lines as `settlement_ledger_lines` stores them: numbered from 1 in posting order. */
export function ledgerRows(settlementId: string, ledger: Pick<SettlementLedger, "lines">) {
  return ledger.lines.map((l, i) => ({ settlementId, lineNo: i + 1, ...l }));
}
