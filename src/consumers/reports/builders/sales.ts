import { and, asc, count, eq, gt, gte, lt, or, sql } from "drizzle-orm";
import { type CsvCell, isoOrEmpty, minorToDecimal } from "../../../flows/reports/csv";
import { type SalesLineRow, salesLines } from "../../../flows/reports/schema";
import type { ReportBuilder, ReportQuery } from "./builder";

const inRange = (q: ReportQuery) =>
  and(
    eq(salesLines.merchantId, q.ownerId),
    gte(salesLines.confirmedAt, q.fromMs),
    lt(salesLines.confirmedAt, q.toMs),
  );

/**
 * The merchant's order lines confirmed in the range, oldest first, refunded ones included with their
 * status and refund time. Money in decimal major units of the line's currency.
 */
export const salesReport: ReportBuilder = {
  header: [
    "order_id",
    "confirmed_at",
    "product_id",
    "sku",
    "title",
    "quantity",
    "unit_price",
    "amount",
    "currency",
    "status",
    "refunded_at",
  ],
  async count(db, q) {
    const [row] = await db.select({ n: count() }).from(salesLines).where(inRange(q));
    return row?.n ?? 0;
  },
  async *pages(db, q, pageSize) {
    // Keyset: the walk follows sales_lines_merchant_confirmed_idx (merchant, confirmed_at, order, line).
    type Cursor = { confirmedAt: number; orderId: string; lineNo: number };
    let after: Cursor | null = null;
    for (;;) {
      const cursor: Cursor | null = after;
      const rows: SalesLineRow[] = await db
        .select()
        .from(salesLines)
        .where(
          cursor === null
            ? inRange(q)
            : and(
                inRange(q),
                or(
                  gt(salesLines.confirmedAt, cursor.confirmedAt),
                  and(
                    eq(salesLines.confirmedAt, cursor.confirmedAt),
                    sql`(${salesLines.orderId}, ${salesLines.lineNo}) > (${cursor.orderId}, ${cursor.lineNo})`,
                  ),
                ),
              ),
        )
        .orderBy(asc(salesLines.confirmedAt), asc(salesLines.orderId), asc(salesLines.lineNo))
        .limit(pageSize);
      if (rows.length === 0) return;
      yield rows.map((r): CsvCell[] => [
        r.orderId,
        isoOrEmpty(r.confirmedAt),
        r.productId,
        r.sku,
        r.title,
        r.quantity,
        minorToDecimal(r.unitPriceMinor, r.currency),
        minorToDecimal(r.amountMinor, r.currency),
        r.currency,
        r.status,
        isoOrEmpty(r.refundedAt),
      ]);
      if (rows.length < pageSize) return;
      const last: SalesLineRow = rows[rows.length - 1]!;
      after = { confirmedAt: last.confirmedAt, orderId: last.orderId, lineNo: last.lineNo };
    }
  },
};
