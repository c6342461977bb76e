import { and, asc, eq, gte, lt } from "drizzle-orm";
import type { Db } from "../client";
import {
  type SettlementRow,
  settlementEntries,
  settlementLedgerLines,
  settlements,
} from "../schema-settlements";

/**
 * A merchant's settlements whose period starts in [from, to) (epoch ms), oldest period first: for
 * reports and anything else that reads settlements by date. Every status is included; filter on
 * `status === "settled"` for the ones with totals.
 *
 * @example
 * const rows = await settlementsInRange(db, { merchantId, from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 11, 1) });
 */
export function settlementsInRange(
  db: Db,
  q: { merchantId: string; from: number; to: number },
): Promise<SettlementRow[]> {
  return db
    .select()
    .from(settlements)
    .where(
      and(
        eq(settlements.merchantId, q.merchantId),
        gte(settlements.periodStart, q.from),
        lt(settlements.periodStart, q.to),
      ),
    )
    .orderBy(asc(settlements.periodStart), asc(settlements.currency));
}

/** A settlement's ledger lines in posting order. */
export function ledgerOf(db: Db, settlementId: string) {
  return db
    .select()
    .from(settlementLedgerLines)
    .where(eq(settlementLedgerLines.settlementId, settlementId))
    .orderBy(asc(settlementLedgerLines.lineNo));
}

/**
 * The entries a settlement claimed, in the order its ledger and statement list them (time, order,
 * kind): the settlements consumer settles them, and the statement route rebuilds a statement from them.
 */
export function entriesOf(db: Db, settlementId: string) {
  return db
    .select()
    .from(settlementEntries)
    .where(eq(settlementEntries.settlementId, settlementId))
    .orderBy(asc(settlementEntries.occurredAt), asc(settlementEntries.orderId), asc(settlementEntries.kind));
}
