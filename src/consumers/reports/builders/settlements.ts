import { sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { type CsvCell, isoOrEmpty, minorToDecimal } from "../../../domain/reports/csv";
import type { ReportBuilder, ReportQuery } from "./builder";

/** A settlement as the report lists it. Periods and times are epoch ms; money in minor units. */
export interface SettlementRow {
  id: string;
  period_start: number;
  period_end: number;
  currency: string;
  status: string;
  gross_sales_minor: number;
  fees_minor: number;
  refunds_minor: number;
  payout_minor: number;
  payout_id: string | null;
  settled_at: number | null;
}

/**
 * Where settlement rows come from: one page of the merchant's settlements whose period overlaps the
 * range, ordered by (period_start, id). The only code that knows the settlements table's name and
 * columns — the settlement read model is built on another branch; re-point this query at its real
 * table when they meet.
 */
export type SettlementRows = (
  db: Db,
  q: ReportQuery,
  after: { periodStart: number; id: string } | null,
  limit: number,
) => Promise<SettlementRow[]>;

const overlapping = (q: ReportQuery) =>
  sql`merchant_id = ${q.ownerId} and period_start < ${q.toMs} and period_end >= ${q.fromMs}`;

export const settlementRows: SettlementRows = (db, q, after, limit) =>
  db.all<SettlementRow>(sql`
    select id, period_start, period_end, currency, status, gross_sales_minor, fees_minor, refunds_minor,
      payout_minor, payout_id, settled_at
    from settlements
    where ${overlapping(q)}
      ${after === null ? sql`` : sql`and (period_start, id) > (${after.periodStart}, ${after.id})`}
    order by period_start, id
    limit ${limit}`);

const countSettlements = async (db: Db, q: ReportQuery) =>
  (await db.all<{ n: number }>(sql`select count(*) as n from settlements where ${overlapping(q)}`))[0]?.n ??
  0;

/** The merchant's settlements overlapping the range: gross, fees, refunds and payout per period. */
export const settlementsReport: ReportBuilder = {
  header: [
    "settlement_id",
    "period_start",
    "period_end",
    "currency",
    "status",
    "gross_sales",
    "fees",
    "refunds",
    "payout",
    "payout_id",
    "settled_at",
  ],
  count: countSettlements,
  async *pages(db, q, pageSize) {
    let after: { periodStart: number; id: string } | null = null;
    for (;;) {
      const rows = await settlementRows(db, q, after, pageSize);
      if (rows.length === 0) return;
      yield rows.map((s): CsvCell[] => [
        s.id,
        isoOrEmpty(s.period_start),
        isoOrEmpty(s.period_end),
        s.currency,
        s.status,
        minorToDecimal(s.gross_sales_minor, s.currency),
        minorToDecimal(s.fees_minor, s.currency),
        minorToDecimal(s.refunds_minor, s.currency),
        minorToDecimal(s.payout_minor, s.currency),
        s.payout_id,
        isoOrEmpty(s.settled_at),
      ]);
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1]!;
      after = { periodStart: last.period_start, id: last.id };
    }
  },
};
