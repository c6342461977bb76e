import { describe, expect, it } from "vitest";
import { demoSettlements } from "../../../scripts/demo-data/settlements";
import { DEMO_ACCOUNTS } from "../../../scripts/demo-data/users";
import { ACCOUNTS, settle } from "../../../src/flows/settlements/ledger";
import { rebuiltStatement, renderStatement } from "../../../src/flows/settlements/statement";
import { balances } from "../../support/ledger";

const DAY = 86_400_000;
const TODAY = Date.UTC(2026, 10, 26);
const demo = demoSettlements({ today: TODAY, feeBps: 1000 });

const entriesOf = (id: string) => demo.entries.filter((e) => e.settlementId === id);
const linesOf = (id: string) => demo.ledgerLines.filter((l) => l.settlementId === id);

describe("the demo merchant's settled days", () => {
  it("are settled past days of the demo merchant, each claiming its own entries", () => {
    expect(demo.settlements.length).toBeGreaterThanOrEqual(2);
    for (const s of demo.settlements) {
      expect(s).toMatchObject({ merchantId: DEMO_ACCOUNTS.merchant.id, status: "settled", currency: "USD" });
      expect(s.periodEnd - s.periodStart).toBe(DAY);
      expect(s.periodEnd).toBeLessThan(TODAY);
      for (const e of entriesOf(s.id)) {
        expect(e.occurredAt).toBeGreaterThanOrEqual(s.periodStart);
        expect(e.occurredAt).toBeLessThan(s.periodEnd);
      }
    }
    expect(demo.entries.every((e) => demo.settlements.some((s) => s.id === e.settlementId))).toBe(true);
    expect(demo.entries.some((e) => e.kind === "refund")).toBe(true);
  });

  it("store the totals and balanced ledger the settlements consumer would compute from their entries", () => {
    for (const s of demo.settlements) {
      const ledger = settle(entriesOf(s.id), 1000);
      expect(s).toMatchObject({
        grossSalesMinor: ledger.grossSalesMinor,
        feesMinor: ledger.feesMinor,
        refundsMinor: ledger.refundsMinor,
        payoutMinor: ledger.payoutMinor,
      });
      const lines = linesOf(s.id);
      expect(lines.map((l) => l.lineNo)).toEqual(lines.map((_, i) => i + 1));
      const sum = (f: "debitMinor" | "creditMinor") => lines.reduce((n, l) => n + l[f], 0);
      expect(sum("debitMinor")).toBe(sum("creditMinor"));
      // Every settlement brings what the platform owes the merchant back to zero.
      expect(balances(lines).get(ACCOUNTS.payable) ?? 0).toBe(0);
    }
  });

  it("keep their ids whatever day the seed runs, so a later seed's INSERT OR IGNORE adds nothing", () => {
    const later = demoSettlements({ today: TODAY + 30 * DAY, feeBps: 1000 });
    expect(later.settlements.map((s) => s.id)).toEqual(demo.settlements.map((s) => s.id));
    const keys = (d: typeof demo) => d.entries.map((e) => `${e.orderId}/${e.kind}`);
    expect(keys(later)).toEqual(keys(demo));
  });
});

describe("rebuiltStatement", () => {
  const s = demo.settlements[0];
  if (!s) throw new Error("no demo settlement");
  const header = { ...s, settlementId: s.id, feeBps: 1000 };

  it("gives the statement the consumer renders from the same entries and rate", () => {
    const csv = rebuiltStatement(header, s, entriesOf(s.id));
    expect(csv).toBe(renderStatement(header, settle(entriesOf(s.id), 1000)));
    expect(csv).toContain(`payout_minor,${s.payoutMinor}\r\n`);
  });

  it("refuses when the entries at today's rate no longer give the stored totals", () => {
    expect(rebuiltStatement({ ...header, feeBps: 1500 }, s, entriesOf(s.id))).toBeNull();
  });
});
