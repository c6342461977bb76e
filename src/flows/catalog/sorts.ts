/** Orders a product search can be returned in. Part of the public contract. */
export const PRODUCT_SORTS = ["relevance", "price_asc", "price_desc", "newest"] as const;

export type ProductSort = (typeof PRODUCT_SORTS)[number];

/**
 * The order actually applied. Without a text query there is no relevance to rank by, so `relevance`
 * (asked for or defaulted) falls back to `newest`; with one, relevance is the default.
 *
 * @example
 * effectiveSort(undefined, true) // => "relevance"
 * effectiveSort("relevance", false) // => "newest"
 */
export function effectiveSort(requested: ProductSort | undefined, hasText: boolean): ProductSort {
  const sort = requested ?? (hasText ? "relevance" : "newest");
  return sort === "relevance" && !hasText ? "newest" : sort;
}
