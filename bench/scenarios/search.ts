import { toSearchPage } from "../../src/flows/catalog/search-page";
import { planProductSearch } from "../../src/flows/catalog/search-plan";
import { buildProductSearch, type ProductSearchRow } from "../../src/flows/catalog/search-products";
import { searchInput } from "../same-sql-worker/search";
import type { Scenario } from "./types";

/**
 * Searches a shopper would make over the demo catalog's words (scripts/demo-data/vocabulary.ts):
 * full-text ranked by relevance, full-text within a category or a price range, category browsing by
 * price, the default newest-first browse, and a larger page. Fixed, so every run and both workers get
 * the same sequence.
 */
const FIRST_PAGES = [
  "q=lamp",
  "category=lighting&sort=price_asc",
  "q=wireless+headphones",
  "q=cast+iron&category=kitchen",
  "q=leather&sort=price_desc",
  "category=electronics&maxPrice=5000&sort=price_asc",
  "",
  "q=yoga+mat&minPrice=2000",
  "q=cotton&limit=50",
] as const;

/** Queries that are also asked for their second page, with the cursor their first page issued. */
const PAGED = ["q=lamp", "category=lighting&sort=price_asc", "q=leather&sort=price_desc"] as const;

/** The cursor to the second page of `query`, from crossdock's own planner and SQL on the seeded data. */
async function secondPageCursor(db: D1Database, query: string): Promise<string> {
  const plan = planProductSearch(searchInput(new URLSearchParams(query)));
  if (plan.kind !== "query") throw new Error(`search scenario: '${query}' plans ${plan.kind}`);
  const { sql, params } = buildProductSearch(plan);
  const { results } = await db
    .prepare(sql)
    .bind(...params)
    .all<ProductSearchRow>();
  const { nextCursor } = toSearchPage(results, plan);
  if (nextCursor === null) throw new Error(`search scenario: '${query}' has no second page`);
  return nextCursor;
}

/** GET /v1/products over a BENCH_PRODUCTS-sized catalog (100,000 by default). */
export const search: Scenario = {
  name: "search",
  summary:
    "GET /v1/products: full-text (FTS5, bm25) and category/price searches over the seeded catalog, a quarter of them second pages",
  floor: {
    target: { bound: "at least", value: 0.8 },
    why: "search is D1-bound (FTS5 and bm25 over the matches): the floor is the fastest SQL for each query shape, and a query crossdock plans worse than that shows here even when the same-SQL ratio is 1.0×",
  },
  async setup({ db, fixtures }) {
    await fixtures.catalog();
    const cursors = await Promise.all(PAGED.map((q) => secondPageCursor(db, q)));
    const pages = PAGED.map((q, i) => `${q}&cursor=${encodeURIComponent(cursors[i]!)}`);
    // Second pages interleaved with first pages, so the parity check covers both kinds.
    const queries = FIRST_PAGES.flatMap((q, i) => (i % 3 === 1 ? [q, pages[(i - 1) / 3]!] : [q]));
    return queries.map((query) => ({
      method: "GET",
      path: query === "" ? "/v1/products" : `/v1/products?${query}`,
    }));
  },
};
