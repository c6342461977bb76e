import { and, asc, count, eq, gt, lt, or } from "drizzle-orm";
import { type CsvCell, isoOrEmpty, minorToDecimal } from "../../../flows/reports/csv";
import { settlements } from "../../../flows/settlements/schema";
import type { Db } from "../../../platform/db/client";
import type { ReportBuilder, ReportQuery } from "./builder";

const columns = {
  id: settlements.id,
  periodStart: settlements.periodStart,
  periodEnd: settlements.periodEnd,
  currency: settlements.currency,
  status: settlements.status,
  grossSalesMinor: settlements.grossSalesMinor,
  feesMinor: settlements.feesMinor,
  refundsMinor: settlements.refundsMinor,
  payoutMinor: settlements.payoutMinor,
  payoutId: settlements.payoutId,
  settledAt: settlements.settledAt,
};

/** The merchant's settlements whose period overlaps the requested days. */
const overlapping = (q: ReportQuery) =>
  and(
    eq(settlements.merchantId, q.ownerId),
    lt(settlements.periodStart, q.toMs),
    gt(settlements.periodEnd, q.fromMs),
  );

/** One page, ordered by (period_start, id), after the last row of the previous page. */
function settlementPage(
  db: Db,
  q: ReportQuery,
  after: { periodStart: number; id: string } | null,
  limit: number,
) {
  const keyset =
    after === null
      ? undefined
      : or(
          gt(settlements.periodStart, after.periodStart),
          and(eq(settlements.periodStart, after.periodStart), gt(settlements.id, after.id)),
        );
  return db
    .select(columns)
    .from(settlements)
    .where(and(overlapping(q), keyset))
    .orderBy(asc(settlements.periodStart), asc(settlements.id))
    .limit(limit);
}

const countSettlements = async (db: Db, q: ReportQuery) =>
  (await db.select({ n: count() }).from(settlements).where(overlapping(q)).get())?.n ?? 0;

/** Money of a settlement not settled yet is unknown (null), shown as an empty cell. */
const money = (minor: number | null, currency: string) =>
  minor === null ? null : minorToDecimal(minor, currency);

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
      const rows = await settlementPage(db, q, after, pageSize);
      if (rows.length === 0) return;
      yield rows.map((s): CsvCell[] => [
        s.id,
        isoOrEmpty(s.periodStart),
        isoOrEmpty(s.periodEnd),
        s.currency,
        s.status,
        money(s.grossSalesMinor, s.currency),
        money(s.feesMinor, s.currency),
        money(s.refundsMinor, s.currency),
        money(s.payoutMinor, s.currency),
        s.payoutId,
        isoOrEmpty(s.settledAt),
      ]);
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1]!;
      after = { periodStart: last.periodStart, id: last.id };
    }
  },
};
