/**
 * From a validated search request to what the SQL builder runs: the safe MATCH expression, the
 * effective sort, the filters and, for later pages, the keys to resume after.
 *
 * The API handler and the benchmark's same-SQL worker both go through here, so they run identical queries.
 */
import { fnv1aHex } from "../../platform/encoding/fnv1a";
import type { CursorRefusal } from "../../platform/encoding/opaque-token";
import type { Category } from "./categories";
import { type CursorKeys, decodeCursor } from "./cursor";
import { toFtsQuery } from "./fts-query";
import { effectiveSort, type ProductSort } from "./sorts";

export const SEARCH_PAGE_SIZE = { default: 20, min: 1, max: 100 } as const;

/** A search request as the API accepts it, already validated (prices in minor units). */
export interface ProductSearchInput {
  q?: string;
  category?: Category;
  minPrice?: number;
  maxPrice?: number;
  merchantId?: string;
  sort?: ProductSort;
  limit: number;
  cursor?: string;
}

/** Everything `buildProductSearch` needs. */
export interface ProductSearchQuery {
  /** A safe FTS5 MATCH expression, or null to browse without text. */
  match: string | null;
  category?: Category;
  minPrice?: number;
  maxPrice?: number;
  /** One merchant's products only (a merchant's own list). */
  merchantId?: string;
  sort: ProductSort;
  limit: number;
  /** Keys of the last row of the previous page. */
  after?: CursorKeys;
  /** Ties cursors to these filters; see `encodeCursor`. */
  fingerprint: string;
}

/**
 * `empty`: the text had nothing searchable in it, so the answer is an empty page without a query.
 * `invalid-cursor`: the cursor is malformed or from another query; the API answers 400.
 */
export type ProductSearchPlan =
  | { kind: "empty" }
  | { kind: "invalid-cursor"; refusal: CursorRefusal }
  | ({ kind: "query" } & ProductSearchQuery);

/** Identifies the filters of a search (not its sort, which a cursor names itself, nor its page size). */
export function searchFingerprint(
  q: Pick<ProductSearchQuery, "match" | "category" | "minPrice" | "maxPrice" | "merchantId">,
): string {
  const filters = [q.match, q.category ?? null, q.minPrice ?? null, q.maxPrice ?? null];
  // Appended only when set, so cursors issued before the merchant filter existed stay valid.
  if (q.merchantId !== undefined) filters.push(q.merchantId);
  return fnv1aHex(JSON.stringify(filters));
}

/**
 * Plans a search. A blank `q` means no text filter (browse everything); a `q` with no searchable
 * word in it (`"***"`, an emoji) matches nothing and plans an empty page.
 *
 * @example
 * const plan = planProductSearch({ q: "desk lamp", limit: 20 });
 * if (plan.kind === "query") db.prepare(buildProductSearch(plan).sql)…
 */
export function planProductSearch(input: ProductSearchInput): ProductSearchPlan {
  const hasText = input.q !== undefined && input.q.trim() !== "";
  const match = hasText ? toFtsQuery(input.q ?? "") : null;
  const filters = {
    match,
    category: input.category,
    minPrice: input.minPrice,
    maxPrice: input.maxPrice,
    merchantId: input.merchantId,
  };
  const sort = effectiveSort(input.sort, hasText);
  const fingerprint = searchFingerprint(filters);
  // Decoded even when the page will be empty, so a bad cursor is always refused.
  const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor, { sort, fingerprint });
  if (after?.ok === false) return { kind: "invalid-cursor", refusal: after.refusal };
  if (hasText && match === null) return { kind: "empty" };
  return { kind: "query", ...filters, sort, limit: input.limit, after: after?.position, fingerprint };
}
