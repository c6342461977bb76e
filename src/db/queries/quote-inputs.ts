import { inArray, type Placeholder, sql } from "drizzle-orm";
import type { Db } from "../client";
import { products, promotions, type QuoteRow, quotes } from "../schema";

/** What pricing reads of a product (`CatalogProduct`), nothing more. */
export const quoteProductColumns = {
  id: products.id,
  title: products.title,
  category: products.category,
  priceMinor: products.priceMinor,
  currency: products.currency,
  stock: products.stock,
};

/**
 * The D1 statements behind POST /v1/quotes. Builders rather than finished queries so the handler can
 * prepare them once and bench/'s bare worker can take their SQL with `.toSQL()`: both then run the
 * identical statements. Each value may be a `sql.placeholder`.
 *
 * @example
 * const found = await selectQuoteProducts(db, ["prd_1", "prd_2"]);
 */
export function selectQuoteProducts(db: Db, ids: readonly (string | Placeholder)[]) {
  return db.select(quoteProductColumns).from(products).where(inArray(products.id, ids));
}

/**
 * Promotions whose code equals `code` ignoring case. The table is small, so the case-insensitive
 * comparison (which cannot use the binary primary-key index) scans it cheaply; an index on
 * `code COLLATE NOCASE` is the fix if it grows.
 */
export function selectPromotionCandidates(db: Db, code: string | Placeholder) {
  return db.select().from(promotions).where(sql`${promotions.code} = ${code} COLLATE NOCASE`);
}

/** Stores a priced quote; `lines` is written as JSON text, as the column's json mode does. */
export function insertQuote(db: Db, row: { [K in keyof QuoteRow]: QuoteRow[K] | Placeholder }) {
  return db.insert(quotes).values(row);
}
