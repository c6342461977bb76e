/**
 * Settled past days for the demo merchant, so GET /v1/settlements has something to show the day
 * Crossdock is installed. Computed with the same pure ledger the settlements consumer uses, so the
 * rows are exactly what a real settlement run would have stored.
 *
 * Ids are fixed, not derived from the clock: the seed's INSERT OR IGNORE keeps the first run's rows, so
 * a seed on a later day adds nothing. The periods lie a few days before that first run, earlier than any
 * order the newcomer can place, so they never take the (merchant, day) a real run needs.
 */

import { ledgerRows, type SettlementEntryKind, settle } from "../../src/flows/settlements/ledger";
import type {
  settlementEntries,
  settlementLedgerLines,
  settlements,
} from "../../src/flows/settlements/schema";
import { DEMO_ACCOUNTS } from "./users";

const DAY = 86_400_000;
const HOUR = 3_600_000;

type EntryRow = typeof settlementEntries.$inferSelect;
type SettlementRow = Omit<typeof settlements.$inferSelect, "statementKey">;
type LedgerLineRow = typeof settlementLedgerLines.$inferSelect;

interface DemoDay {
  daysAgo: number;
  entries: { order: number; kind: SettlementEntryKind; amountMinor: number; hour: number }[];
}

/** Three days: plain sales; a sale and a refund of an earlier day's order; a bigger day. */
const DAYS: readonly DemoDay[] = [
  {
    daysAgo: 4,
    entries: [
      { order: 1, kind: "sale", amountMinor: 4_999, hour: 9 },
      { order: 2, kind: "sale", amountMinor: 12_950, hour: 13 },
      { order: 3, kind: "sale", amountMinor: 2_500, hour: 18 },
    ],
  },
  {
    daysAgo: 3,
    entries: [
      { order: 3, kind: "refund", amountMinor: 2_500, hour: 10 },
      { order: 4, kind: "sale", amountMinor: 8_900, hour: 15 },
    ],
  },
  {
    daysAgo: 2,
    entries: [
      { order: 5, kind: "sale", amountMinor: 3_200, hour: 11 },
      { order: 6, kind: "sale", amountMinor: 15_999, hour: 16 },
      { order: 7, kind: "sale", amountMinor: 1_005, hour: 20 },
    ],
  },
];

export interface DemoSettlements {
  entries: EntryRow[];
  /** Settled, with totals and payout; the statement key is the caller's (it names an R2 object). */
  settlements: SettlementRow[];
  ledgerLines: LedgerLineRow[];
}

const pad = (n: number) => String(n).padStart(3, "0");

/**
 * The demo merchant's settled days before `today` (a UTC midnight, epoch ms) at `feeBps`.
 *
 * @example
 * const { settlements } = demoSettlements({ today: Date.UTC(2026, 0, 10), feeBps: 1000 });
 */
export function demoSettlements(o: { today: number; feeBps: number }): DemoSettlements {
  const merchantId = DEMO_ACCOUNTS.merchant.id;
  const out: DemoSettlements = { entries: [], settlements: [], ledgerLines: [] };
  DAYS.forEach((day, i) => {
    const id = `stl_demo_${pad(i + 1)}`;
    const periodStart = o.today - day.daysAgo * DAY;
    const entries = day.entries.map((e) => ({
      orderId: `ord_demo_settled_${pad(e.order)}`,
      kind: e.kind,
      amountMinor: e.amountMinor,
      occurredAt: periodStart + e.hour * HOUR,
    }));
    const ledger = settle(entries, o.feeBps);
    // Settled shortly after the daily run (00:10 UTC) the next day.
    const settledAt = periodStart + DAY + 11 * 60_000;
    for (const e of entries)
      out.entries.push({
        ...e,
        merchantId,
        currency: "USD",
        eventId: `evt_demo_${e.orderId.slice(4)}_${e.kind}`,
        settlementId: id,
        recordedAt: e.occurredAt + 1_000,
      });
    out.settlements.push({
      id,
      merchantId,
      periodStart,
      periodEnd: periodStart + DAY,
      currency: "USD",
      status: "settled",
      grossSalesMinor: ledger.grossSalesMinor,
      feesMinor: ledger.feesMinor,
      refundsMinor: ledger.refundsMinor,
      payoutMinor: ledger.payoutMinor,
      payoutId: ledger.payoutMinor > 0 ? `po_demo_${pad(i + 1)}` : null,
      failure: null,
      createdAt: periodStart + DAY + 10 * 60_000,
      settledAt,
    });
    out.ledgerLines.push(...ledgerRows(id, ledger));
  });
  return out;
}
