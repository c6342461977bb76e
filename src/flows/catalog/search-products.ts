/**
 * The product search as one SQL statement: the only place its SQL is written.
 *
 * Raw SQL because FTS5 MATCH and bm25() have no drizzle equivalent. Pure (no Hono, no bindings) so the
 * benchmark's same-SQL worker can import it and run exactly what the API runs:
 *
 * @example
 * const { sql, params } = buildProductSearch(plan);
 * const { results } = await env.DB.prepare(sql).bind(...params).all<ProductSearchRow>();
 */
import { getTableColumns } from "drizzle-orm";
import { type ProductRow, products } from "./schema";
import type { ProductSearchQuery } from "./search-plan";
import type { ProductSort } from "./sorts";

/** A product as drizzle would read it, plus its bm25 score under the relevance sort (else null). */
export type ProductSearchRow = ProductRow & { score: number | null };

export interface ProductSearchSql {
  sql: string;
  params: (string | number)[];
}

// Columns aliased to the drizzle property names, so a search row and a drizzle row are one type.
const COLUMNS = Object.entries(getTableColumns(products))
  .map(([key, column]) => `p."${column.name}" AS "${key}"`)
  .join(", ");

// Weights follow the FTS column order (title, description, category): a title hit counts most.
// bm25 is lower for better matches, hence ascending.
const SCORE = "bm25(products_fts, 10.0, 2.0, 1.0)";

const ORDER: Record<ProductSort, { key: string; dir: "ASC" | "DESC" }> = {
  relevance: { key: "m.score", dir: "ASC" },
  price_asc: { key: "p.price_minor", dir: "ASC" },
  price_desc: { key: "p.price_minor", dir: "DESC" },
  newest: { key: "p.created_at", dir: "DESC" },
};

/**
 * The SQL and bind parameters for one page of `query`, fetching `limit + 1` rows so the caller knows
 * whether another page exists (see `toSearchPage`).
 *
 * Pages continue with a keyset condition `(key, seq) > (?, ?)` (or `<` when descending), which an
 * index on `(…, key, seq)` turns into a seek; seq breaks ties so no row is skipped or repeated.
 */
export function buildProductSearch(query: ProductSearchQuery): ProductSearchSql {
  const { key, dir } = ORDER[query.sort];
  const params: (string | number)[] = [];
  const where: string[] = [];
  if (query.match !== null) {
    if (query.sort === "relevance") params.push(query.match);
    else {
      where.push("p.seq IN (SELECT rowid FROM products_fts WHERE products_fts MATCH ?)");
      params.push(query.match);
    }
  } else if (query.sort === "relevance") throw new Error("the relevance sort needs a text match");
  const filtered =
    query.category !== undefined ||
    query.minPrice !== undefined ||
    query.maxPrice !== undefined ||
    query.merchantId !== undefined;
  if (query.merchantId !== undefined) {
    where.push("p.merchant_id = ?");
    params.push(query.merchantId);
  }
  if (query.category !== undefined) {
    where.push("p.category = ?");
    params.push(query.category);
  }
  if (query.minPrice !== undefined) {
    where.push("p.price_minor >= ?");
    params.push(query.minPrice);
  }
  if (query.maxPrice !== undefined) {
    where.push("p.price_minor <= ?");
    params.push(query.maxPrice);
  }
  const seq = query.sort === "relevance" ? "m.seq" : "p.seq";
  if (query.after !== undefined) {
    where.push(`(${key}, ${seq}) ${dir === "ASC" ? ">" : "<"} (?, ?)`);
    params.push(query.after[0], query.after[1]);
  }
  const conditions = where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "";
  params.push(query.limit + 1);
  if (query.sort !== "relevance") {
    return {
      sql: `SELECT ${COLUMNS}, NULL AS "score" FROM products p${conditions} ORDER BY ${key} ${dir}, p.seq ${dir} LIMIT ?`,
      params,
    };
  }
  // Ranking needs every match's score, so bm25() runs over all of them, inside the FTS query
  // (materialised). But only the page's rows are read in full: ordering and cutting the (seq, score)
  // pairs first, then joining the page to products, keeps a common word (thousands of matches) from
  // reading and sorting thousands of whole rows for 21. A filter needs the product's row to decide,
  // so only then does the cut join products. bm25 depends on corpus statistics, so a write between two
  // pages can move a product's score: paging stays strictly forward, but that product may be skipped or
  // shown twice. Accepted for relevance; the price and date sorts are exact.
  const join = filtered ? " JOIN products p ON p.seq = m.seq" : "";
  return {
    sql:
      `WITH m AS MATERIALIZED (SELECT rowid AS seq, ${SCORE} AS score FROM products_fts WHERE products_fts MATCH ?), ` +
      `page AS MATERIALIZED (SELECT m.seq, m.score FROM m${join}${conditions} ORDER BY m.score ASC, m.seq ASC LIMIT ?) ` +
      `SELECT ${COLUMNS}, page.score AS "score" FROM page JOIN products p ON p.seq = page.seq ORDER BY page.score ASC, page.seq ASC`,
    params,
  };
}
