/**
 * Merchant settlements (docs/ARCHITECTURE.md, Settlements): the entries read model fed by the order
 * facts, one settlement per merchant, UTC day and currency, and its double-entry ledger.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { SETTLEMENT_ENTRY_KINDS } from "./ledger";

/**
 * What each merchant earned (`sale`) or gave back (`refund`) on each order, written only by the
 * settlement-entries consumer from `order.confirmed` / `order.refunded`. The key makes a redelivered
 * fact a no-op. `settlement_id` is set, in the batch that opens a settlement, on every unclaimed entry
 * it settles: an entry is settled exactly once, and one recorded late is picked up by the next run.
 */
export const settlementEntries = sqliteTable(
  "settlement_entries",
  {
    orderId: text("order_id").notNull(),
    merchantId: text("merchant_id").notNull(),
    kind: text("kind", { enum: SETTLEMENT_ENTRY_KINDS }).notNull(),
    currency: text("currency").notNull(),
    /** The merchant's lines after line discounts, in minor units; shipping and tax stay with the platform. */
    amountMinor: integer("amount_minor").notNull(),
    /** The fact's time (epoch ms): decides the period. */
    occurredAt: integer("occurred_at").notNull(),
    eventId: text("event_id").notNull(),
    settlementId: text("settlement_id"),
    recordedAt: integer("recorded_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.merchantId, t.kind] }),
    // The run's scan: unclaimed entries by time; then each settlement's claim by merchant and currency.
    index("settlement_entries_unsettled_idx")
      .on(t.merchantId, t.currency, t.occurredAt)
      .where(sql`settlement_id IS NULL`),
    index("settlement_entries_settlement_idx").on(t.settlementId),
  ],
);

export const SETTLEMENT_STATUSES = ["pending", "settled", "failed"] as const;
export type SettlementStatus = (typeof SETTLEMENT_STATUSES)[number];

export const settlements = sqliteTable(
  "settlements",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id").notNull(),
    /** The UTC day settled, [start, end) in epoch ms. */
    periodStart: integer("period_start").notNull(),
    periodEnd: integer("period_end").notNull(),
    currency: text("currency").notNull(),
    status: text("status", { enum: SETTLEMENT_STATUSES }).notNull(),
    // Null until settled; signed: fees are net of fees returned on refunds, payout may be negative (owed).
    grossSalesMinor: integer("gross_sales_minor"),
    feesMinor: integer("fees_minor"),
    refundsMinor: integer("refunds_minor"),
    payoutMinor: integer("payout_minor"),
    payoutId: text("payout_id"),
    statementKey: text("statement_key"),
    /** Why the payout was refused, when status is failed. */
    failure: text("failure"),
    createdAt: integer("created_at").notNull(),
    settledAt: integer("settled_at"),
  },
  (t) => [
    // Settling a merchant's period twice is impossible: a second run's INSERT finds this row.
    uniqueIndex("settlements_merchant_period_uq").on(t.merchantId, t.periodStart, t.currency),
    index("settlements_period_idx").on(t.periodStart),
  ],
);

/** A settlement's ledger: each line one side of a balanced double entry. */
export const settlementLedgerLines = sqliteTable(
  "settlement_ledger_lines",
  {
    settlementId: text("settlement_id").notNull(),
    lineNo: integer("line_no").notNull(),
    account: text("account").notNull(),
    debitMinor: integer("debit_minor").notNull(),
    creditMinor: integer("credit_minor").notNull(),
    description: text("description").notNull(),
  },
  (t) => [primaryKey({ columns: [t.settlementId, t.lineNo] })],
);

export type SettlementRow = typeof settlements.$inferSelect;
export type SettlementEntryRow = typeof settlementEntries.$inferSelect;
