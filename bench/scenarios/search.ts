/**
 * NOT WIRED YET: joins scenarios/index.ts (and leaves tsconfig's exclude list) once
 * src/db/queries/search-products.ts is merged. The query parameter names below are this file's
 * assumption about GET /v1/products; align them with the merged route's query schema. The parity
 * check in bench/lib/parity.ts will say if the bare worker answers differently.
 */
import type { Scenario } from "./types";

/**
 * Searches a shopper would type, over the words the seeded catalog is made of (seed/products.ts):
 * full-text, full-text within a category, category browsing by price, and a price cap. The list is fixed,
 * so every run and both workers get the same sequence.
 */
const QUERIES = [
  "q=lamp",
  "q=leather+wallet",
  "q=wireless+headphones",
  "category=electronics&sort=price_asc",
  "q=desk+lamp&category=home",
  "q=cast+iron&sort=price_desc",
  "category=accessories&maxPrice=5000&sort=price_asc",
  "q=yoga+mat",
] as const;

/** GET /v1/products over a BENCH_PRODUCTS-sized catalog (100,000 by default). */
export const search: Scenario = {
  name: "search",
  summary: "GET /v1/products: full-text (FTS5) and category/price searches over the seeded catalog",
  async setup({ fixtures }) {
    await fixtures.catalog();
    return QUERIES.map((query) => ({ method: "GET", path: `/v1/products?${query}` }));
  },
};
