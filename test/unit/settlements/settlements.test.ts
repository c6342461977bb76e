import { describe, expect, it } from "vitest";
import { merchantAmounts } from "../../../src/flows/settlements/attribution";
import { ACCOUNTS, feeOf, type LedgerEntry, settle } from "../../../src/flows/settlements/ledger";
import { dayOf, isClosed, periodFromDate, previousDay } from "../../../src/flows/settlements/period";
import { csvField, renderStatement } from "../../../src/flows/settlements/statement";
import { balances } from "../../support/ledger";

const AT = Date.UTC(2026, 10, 26, 12);
const sale = (orderId: string, amountMinor: number): LedgerEntry => ({
  orderId,
  kind: "sale",
  amountMinor,
  occurredAt: AT,
});
const refund = (orderId: string, amountMinor: number): LedgerEntry => ({
  ...sale(orderId, amountMinor),
  kind: "refund",
});

describe("settle: the ledger of a period", () => {
  it("Given two sales at 10%, When settled, Then the merchant is paid sales minus fees", () => {
    const s = settle([sale("ord_1", 10_000), sale("ord_2", 2_500)], 1000);

    expect(s).toMatchObject({
      grossSalesMinor: 12_500,
      feesMinor: 1_250,
      refundsMinor: 0,
      payoutMinor: 11_250,
    });
    expect(s.lines).toEqual([
      { account: ACCOUNTS.cash, debitMinor: 12_500, creditMinor: 0, description: "Gross sales (2 orders)" },
      {
        account: ACCOUNTS.payable,
        debitMinor: 0,
        creditMinor: 12_500,
        description: "Gross sales (2 orders)",
      },
      {
        account: ACCOUNTS.payable,
        debitMinor: 1_250,
        creditMinor: 0,
        description: "Platform fee 10.00% of sales",
      },
      {
        account: ACCOUNTS.feeRevenue,
        debitMinor: 0,
        creditMinor: 1_250,
        description: "Platform fee 10.00% of sales",
      },
      {
        account: ACCOUNTS.payable,
        debitMinor: 11_250,
        creditMinor: 0,
        description: "Payout to the merchant",
      },
      { account: ACCOUNTS.cash, debitMinor: 0, creditMinor: 11_250, description: "Payout to the merchant" },
    ]);
  });

  it("Given a sale refunded in the same period, When settled, Then the fee is returned and nothing is due", () => {
    const s = settle([sale("ord_1", 4_999), refund("ord_1", 4_999)], 1000);

    expect(s).toMatchObject({ grossSalesMinor: 4_999, feesMinor: 0, refundsMinor: 4_999, payoutMinor: 0 });
    expect(s.lines.some((l) => l.description === "Platform fee returned on refunds")).toBe(true);
    expect(s.lines.some((l) => l.description.startsWith("Payout"))).toBe(false);
  });

  it("Given only a refund of an earlier period's sale, When settled, Then the payout is negative: the merchant owes it", () => {
    const s = settle([refund("ord_old", 10_000)], 1000);

    expect(s).toMatchObject({
      grossSalesMinor: 0,
      feesMinor: -1_000,
      refundsMinor: 10_000,
      payoutMinor: -9_000,
    });
    expect(balances(s.lines).get(ACCOUNTS.receivable)).toBe(9_000);
    expect(balances(s.lines).get(ACCOUNTS.payable)).toBe(0);
  });

  it("Given no entries, When settled, Then everything is zero and the ledger is empty", () => {
    expect(settle([], 1000)).toMatchObject({ grossSalesMinor: 0, feesMinor: 0, payoutMinor: 0, lines: [] });
  });

  it("rounds the fee half up per order, exactly even past 2^53 / bps", () => {
    expect(feeOf(1005, 1000)).toBe(101);
    expect(feeOf(1004, 1000)).toBe(100);
    expect(feeOf(1, 5000)).toBe(1);
    expect(feeOf(0, 1000)).toBe(0);
    expect(feeOf(9_007_199_254_740_991, 10_000)).toBe(9_007_199_254_740_991);
  });

  it("refuses a fee rate outside 0..10000 basis points", () => {
    expect(() => settle([], -1)).toThrow(RangeError);
    expect(() => settle([], 10_001)).toThrow(RangeError);
    expect(() => settle([], 2.5)).toThrow(RangeError);
  });
});

describe("merchantAmounts: what an order earns each merchant", () => {
  it("Given lines of two merchants with a discount, Then each gets their lines after discount; shipping and tax are not theirs", () => {
    expect(
      merchantAmounts([
        { merchantId: "m1", lineSubtotal: 2_000, discount: 200 },
        { merchantId: "m2", lineSubtotal: 1_000, discount: 0 },
        { merchantId: "m1", lineSubtotal: 500, discount: 50 },
      ]),
    ).toEqual([
      { merchantId: "m1", amountMinor: 2_250 },
      { merchantId: "m2", amountMinor: 1_000 },
    ]);
  });
});

describe("periods: UTC days", () => {
  it("the previous UTC day is the closed period of a run", () => {
    const now = Date.UTC(2026, 10, 27, 0, 10);
    expect(previousDay(now)).toEqual({ start: Date.UTC(2026, 10, 26), end: Date.UTC(2026, 10, 27) });
    expect(isClosed(previousDay(now), now)).toBe(true);
    expect(isClosed(dayOf(now), now)).toBe(false);
  });

  it("parses real dates only", () => {
    expect(periodFromDate("2026-11-26")).toEqual({
      start: Date.UTC(2026, 10, 26),
      end: Date.UTC(2026, 10, 27),
    });
    expect(periodFromDate("2026-02-30")).toBeNull();
    expect(periodFromDate("26-11-2026")).toBeNull();
  });
});

describe("renderStatement", () => {
  it("writes the summary, the ledger and every entry with its fee, as RFC 4180 CSV", () => {
    const ledger = settle([sale("ord_1", 10_000)], 1000);
    const csv = renderStatement(
      {
        settlementId: "stl_1",
        merchantId: "usr_m",
        periodStart: Date.UTC(2026, 10, 26),
        periodEnd: Date.UTC(2026, 10, 27),
        currency: "USD",
        feeBps: 1000,
        payoutId: "po_1",
      },
      ledger,
    );
    const rows = csv.split("\r\n");
    expect(rows).toContain("payout_minor,9000");
    expect(rows).toContain("payout_id,po_1");
    expect(rows).toContain("account,debit_minor,credit_minor,description");
    expect(rows).toContain("merchant_payable,9000,0,Payout to the merchant");
    expect(rows).toContain("ord_1,sale,10000,1000,2026-11-26T12:00:00.000Z");
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
  });
});
