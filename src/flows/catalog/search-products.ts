/**
 * The product search as one SQL statement: the only place its SQL is written.
 *
 * Raw SQL because FTS5 MATCH and bm25() have no drizzle equivalent. Pure (no Hono, no bindings) so the
 * benchmark's bare worker can import it and run exactly what the API runs:
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
  const params: (string | number)[] = [];
  const where: string[] = [];
  let sql: string;
  if (query.sort === "relevance") {
    if (query.match === null) throw new Error("the relevance sort needs a text match");
    // Ranking needs every match's score anyway; materialising keeps bm25() inside the FTS query.
    // bm25 depends on corpus statistics, so a write between two pages can move a product's score:
    // paging stays strictly forward, but that product may be skipped or shown twice. Accepted for
    // relevance; the price and date sorts are exact.
    sql = `WITH m AS MATERIALIZED (SELECT rowid AS seq, ${SCORE} AS score FROM products_fts WHERE products_fts MATCH ?) SELECT ${COLUMNS}, m.score AS "score" FROM m JOIN products p ON p.seq = m.seq`;
    params.push(query.match);
  } else {
    sql = `SELECT ${COLUMNS}, NULL AS "score" FROM products p`;
    if (query.match !== null) {
      where.push("p.seq IN (SELECT rowid FROM products_fts WHERE products_fts MATCH ?)");
      params.push(query.match);
    }
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
  const { key, dir } = ORDER[query.sort];
  if (query.after !== undefined) {
    where.push(`(${key}, p.seq) ${dir === "ASC" ? ">" : "<"} (?, ?)`);
    params.push(query.after[0], query.after[1]);
  }
  if (where.length > 0) sql += ` WHERE ${where.join(" AND ")}`;
  sql += ` ORDER BY ${key} ${dir}, p.seq ${dir} LIMIT ?`;
  params.push(query.limit + 1);
  return { sql, params };
}
