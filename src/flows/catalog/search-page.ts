/**
 * Cuts a page out of the rows a search returned and issues the cursor for the next one.
 */
import { type CursorKeys, encodeCursor } from "./cursor";
import type { ProductSearchQuery } from "./search-plan";
import type { ProductSort } from "./sorts";

/** The columns a row must carry to be a keyset position. */
export interface SortableRow {
  seq: number;
  priceMinor: number;
  createdAt: number;
  /** bm25 rank; present only under the relevance sort. */
  score?: number | null;
}

/** The keys a row sorts by under `sort`, in the order of the ORDER BY. */
export function sortKeys(row: SortableRow, sort: ProductSort): CursorKeys {
  switch (sort) {
    case "relevance":
      if (typeof row.score !== "number") throw new Error("relevance rows must carry a score");
      return [row.score, row.seq];
    case "price_asc":
    case "price_desc":
      return [row.priceMinor, row.seq];
    case "newest":
      return [row.createdAt, row.seq];
    default: {
      const never: never = sort;
      throw new Error(`unknown sort ${String(never)}`);
    }
  }
}

/**
 * The first `limit` rows and a cursor after the last of them. The query fetches one row more than a
 * page, so a next page is announced only when a row really exists beyond this one.
 *
 * @example
 * const { rows, nextCursor } = toSearchPage(results, query);
 */
export function toSearchPage<R extends SortableRow>(
  fetched: readonly R[],
  query: Pick<ProductSearchQuery, "sort" | "limit" | "fingerprint">,
): { rows: R[]; nextCursor: string | null } {
  const rows = fetched.slice(0, query.limit);
  const last = rows.at(-1);
  if (fetched.length <= query.limit || last === undefined) return { rows, nextCursor: null };
  const keys = sortKeys(last, query.sort);
  return { rows, nextCursor: encodeCursor({ sort: query.sort, keys, fingerprint: query.fingerprint }) };
}
