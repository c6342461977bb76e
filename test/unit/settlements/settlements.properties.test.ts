import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ACCOUNTS, type LedgerEntry, settle } from "../../../src/flows/settlements/ledger";
import { balances } from "../../support/ledger";

const entryArb: fc.Arbitrary<LedgerEntry> = fc.record({
  orderId: fc.stringMatching(/^ord_[a-z0-9]{1,8}$/),
  kind: fc.constantFrom("sale" as const, "refund" as const),
  amountMinor: fc.integer({ min: 0, max: 100_000_000_000 }),
  occurredAt: fc.integer({ min: 0, max: 4_102_444_800_000 }),
});
const entriesArb = fc.array(entryArb, { maxLength: 60 });
const bpsArb = fc.integer({ min: 0, max: 10_000 });
const sumOf = (entries: LedgerEntry[], kind: LedgerEntry["kind"]) =>
  entries.filter((e) => e.kind === kind).reduce((n, e) => n + e.amountMinor, 0);

describe("settle invariants: for any set of sales and refunds", () => {
  it("the ledger balances: total debits equal total credits", () => {
    fc.assert(
      fc.property(entriesArb, bpsArb, (entries, bps) => {
        const { lines } = settle(entries, bps);
        const debits = lines.reduce((n, l) => n + l.debitMinor, 0);
        const credits = lines.reduce((n, l) => n + l.creditMinor, 0);
        expect(debits).toBe(credits);
      }),
    );
  });

  it("payout = sales − fees − refunds, with sales and refunds the entries' sums", () => {
    fc.assert(
      fc.property(entriesArb, bpsArb, (entries, bps) => {
        const s = settle(entries, bps);
        expect(s.grossSalesMinor).toBe(sumOf(entries, "sale"));
        expect(s.refundsMinor).toBe(sumOf(entries, "refund"));
        expect(s.payoutMinor).toBe(s.grossSalesMinor - s.feesMinor - s.refundsMinor);
      }),
    );
  });

  it("every line is one-sided and non-negative, and the merchant's payable is settled to zero", () => {
    fc.assert(
      fc.property(entriesArb, bpsArb, (entries, bps) => {
        const { lines } = settle(entries, bps);
        for (const l of lines) {
          expect(l.debitMinor >= 0 && l.creditMinor >= 0).toBe(true);
          expect((l.debitMinor === 0) !== (l.creditMinor === 0)).toBe(true);
        }
        expect(balances(lines).get(ACCOUNTS.payable) ?? 0).toBe(0);
      }),
    );
  });

  it("the cash paid out is exactly the positive payout; a negative one is owed, never paid", () => {
    fc.assert(
      fc.property(entriesArb, bpsArb, (entries, bps) => {
        const s = settle(entries, bps);
        const paid = s.lines
          .filter((l) => l.account === ACCOUNTS.cash && l.description.startsWith("Payout"))
          .reduce((n, l) => n + l.creditMinor, 0);
        expect(paid).toBe(Math.max(0, s.payoutMinor));
        expect(balances(s.lines).get(ACCOUNTS.receivable) ?? 0).toBe(Math.max(0, -s.payoutMinor));
      }),
    );
  });

  it("a fully refunded set of orders pays nothing and charges no fee, whatever the rate", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { maxLength: 30 }),
        bpsArb,
        (amounts, bps) => {
          const entries = amounts.flatMap((a, i): LedgerEntry[] => [
            { orderId: `ord_${i}`, kind: "sale", amountMinor: a, occurredAt: 0 },
            { orderId: `ord_${i}`, kind: "refund", amountMinor: a, occurredAt: 1 },
          ]);
          const s = settle(entries, bps);
          expect(s.feesMinor).toBe(0);
          expect(s.payoutMinor).toBe(0);
        },
      ),
    );
  });
});
