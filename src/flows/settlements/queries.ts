import { asc, eq } from "drizzle-orm";
import type { Db } from "../../platform/db/client";
import { settlementEntries, settlementLedgerLines } from "./schema";

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
