import { and, asc, count, eq, gt, gte, inArray, lt, sql, sum } from "drizzle-orm";
import { products } from "../../../flows/catalog/schema";
import { type CsvCell, minorToDecimal } from "../../../flows/reports/csv";
import { salesLines } from "../../../flows/reports/schema";
import type { ReportBuilder } from "./builder";

/**
 * The merchant's catalog, by SKU, with each product's units sold and revenue in the range, net of
 * refunds: only lines still `confirmed` count (a refunded line sold nothing). Revenue is the lines'
 * amount (after discounts, before tax) in the product's currency.
 */
export const productsReport: ReportBuilder = {
  header: ["product_id", "sku", "title", "category", "price", "currency", "stock", "units_sold", "revenue"],
  async count(db, q) {
    const [row] = await db.select({ n: count() }).from(products).where(eq(products.merchantId, q.ownerId));
    return row?.n ?? 0;
  },
  async *pages(db, q, pageSize) {
    // Keyset on the merchant's unique SKUs (products_merchant_sku_idx).
    let afterSku: string | null = null;
    for (;;) {
      const mine = eq(products.merchantId, q.ownerId);
      const page = await db
        .select()
        .from(products)
        .where(afterSku === null ? mine : and(mine, gt(products.sku, afterSku)))
        .orderBy(asc(products.sku))
        .limit(pageSize);
      if (page.length === 0) return;
      const ids = JSON.stringify(page.map((p) => p.id));
      const sold = await db
        .select({
          productId: salesLines.productId,
          units: sum(salesLines.quantity).mapWith(Number),
          revenue: sum(salesLines.amountMinor).mapWith(Number),
        })
        .from(salesLines)
        .where(
          and(
            eq(salesLines.merchantId, q.ownerId),
            // One JSON parameter for the page's ids: D1 binds at most 100 parameters per statement.
            inArray(salesLines.productId, sql`(select value from json_each(${ids}))`),
            gte(salesLines.confirmedAt, q.fromMs),
            lt(salesLines.confirmedAt, q.toMs),
            eq(salesLines.status, "confirmed"),
          ),
        )
        .groupBy(salesLines.productId);
      const byProduct = new Map(sold.map((s) => [s.productId, s]));
      yield page.map((p): CsvCell[] => {
        const s = byProduct.get(p.id);
        return [
          p.id,
          p.sku,
          p.title,
          p.category,
          minorToDecimal(p.priceMinor, p.currency),
          p.currency,
          p.stock,
          s?.units ?? 0,
          minorToDecimal(s?.revenue ?? 0, p.currency),
        ];
      });
      if (page.length < pageSize) return;
      afterSku = page[page.length - 1]!.sku;
    }
  },
};
