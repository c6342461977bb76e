import { getTableColumns, inArray, type Placeholder, sql } from "drizzle-orm";
import type { Db } from "../../platform/db/client";
import { perBinding, perBindingAndKey } from "../../platform/db/prepared";
import { products, promotions } from "../catalog/schema";
import { type QuoteRow, quotes } from "./schema";

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
 * prepare them once and bench/'s same-SQL worker can take their SQL with `.toSQL()`: both then run the
 * identical statements. Each value may be a `sql.placeholder`.
 *
 * @example
 * const found = await selectQuoteProducts(db, ["prd_1", "prd_2"]);
 * const same = await quoteStatements.products(env.DB, 2).all({ 0: "prd_1", 1: "prd_2" });
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

/** Every column of a quote row as a placeholder named by its key, for a prepared INSERT. */
export const QUOTE_ROW_SLOTS = Object.fromEntries(
  Object.keys(getTableColumns(quotes)).map((key) => [key, sql.placeholder(key)]),
) as Record<keyof QuoteRow, Placeholder>;

/** A quote has at most this many distinct products (the request schema's limit). */
export const MAX_QUOTE_PRODUCTS = 100;

/**
 * The statements above, prepared once per D1 binding (the product lookup once per number of ids, at
 * most MAX_QUOTE_PRODUCTS of them): POST /v1/quotes is a hot path, and drizzle otherwise rebuilds
 * each statement's SQL on every request. Placeholders are named by position (`"0"`, `"1"`, …), `code`,
 * and the row's keys; the INSERT encodes `lines` as JSON when it binds, as the unprepared one does.
 * Given the request's D1 session (read replication), they run on it, still prepared once.
 */
export const quoteStatements = {
  products: perBindingAndKey((db, count: number) => {
    if (!Number.isSafeInteger(count) || count < 1 || count > MAX_QUOTE_PRODUCTS) {
      throw new RangeError(`a quote reads 1 to ${MAX_QUOTE_PRODUCTS} products, not ${count}`);
    }
    const slots = Array.from({ length: count }, (_, i) => sql.placeholder(String(i)));
    return selectQuoteProducts(db, slots).prepare();
  }),
  promotions: perBinding((db) => selectPromotionCandidates(db, sql.placeholder("code")).prepare()),
  insert: perBinding((db) => insertQuote(db, QUOTE_ROW_SLOTS).prepare()),
};
