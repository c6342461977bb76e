import type { Category } from "../../src/flows/catalog/categories";
import { toSearchPage } from "../../src/flows/catalog/search-page";
import {
  type ProductSearchInput,
  planProductSearch,
  SEARCH_PAGE_SIZE,
} from "../../src/flows/catalog/search-plan";
import { buildProductSearch, type ProductSearchRow } from "../../src/flows/catalog/search-products";
import type { ProductSort } from "../../src/flows/catalog/sorts";
import type { SameSqlHandler } from "./handler";
import { jsonWithBookmark, openSession } from "./session";

/**
 * The query of GET /v1/products as crossdock's schema hands it to the handler, for the valid queries
 * the benchmark sends: absent parameters stay undefined, numbers are parsed, `limit` defaults as the
 * handler defaults it. No validation: the benchmark sends valid queries only. Also used by the search
 * scenario to compute second-page cursors.
 */
export function searchInput(query: URLSearchParams): ProductSearchInput {
  const number = (name: string) => (query.has(name) ? Number(query.get(name)) : undefined);
  const text = (name: string) => query.get(name) ?? undefined;
  return {
    q: text("q"),
    category: text("category") as Category | undefined,
    minPrice: number("minPrice"),
    maxPrice: number("maxPrice"),
    sort: text("sort") as ProductSort | undefined,
    limit: number("limit") ?? SEARCH_PAGE_SIZE.default,
    cursor: text("cursor"),
  };
}

/**
 * GET /v1/products without a framework: crossdock's own plan, SQL builder and page cutter, the same D1
 * call (`all()`) on the same D1 session (any replica), and the same JSON and bookmark header as crossdock's
 * `toProductResponse` and `d1Session`, built by hand.
 */
export const searchProducts: SameSqlHandler = async (request, env, url) => {
  const plan = planProductSearch(searchInput(url.searchParams));
  if (plan.kind === "invalid-cursor")
    return Response.json({ type: "/problems/invalid-cursor" }, { status: 400 });
  if (plan.kind === "empty") return Response.json({ items: [], nextCursor: null });
  const { sql, params } = buildProductSearch(plan);
  const d1 = openSession(request, env.DB, "first-unconstrained");
  const { results } = await d1
    .prepare(sql)
    .bind(...params)
    .all<ProductSearchRow>();
  const page = toSearchPage(results, plan);
  return jsonWithBookmark(
    {
      items: page.rows.map((row) => ({
        id: row.id,
        merchantId: row.merchantId,
        sku: row.sku,
        title: row.title,
        description: row.description,
        category: row.category,
        price: { amount: row.priceMinor, currency: row.currency },
        stock: row.stock,
        createdAt: new Date(row.createdAt).toISOString(),
        updatedAt: new Date(row.updatedAt).toISOString(),
      })),
      nextCursor: page.nextCursor,
    },
    d1,
  );
};
