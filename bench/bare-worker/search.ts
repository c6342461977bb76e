/**
 * NOT WIRED YET: once src/db/queries/search-products.ts is merged, add
 * `"GET /v1/products": searchProducts` to the routes in ./index.ts and drop this file from tsconfig's
 * exclude list.
 *
 * Assumed contract: `buildProductSearch(params) -> { sql, params }`, taking the parsed query of
 * GET /v1/products. Crossdock parses that query with zod (defaults, coercion); this handler must apply
 * the same defaults by hand, run the statement with the same D1 method crossdock uses (`all()` here),
 * and map rows to the same JSON as crossdock's product view. bench/lib/parity.ts checks the last part.
 */
import { buildProductSearch } from "../../src/db/queries/search-products";
import type { BareHandler } from "./handler";

/** GET /v1/products without a framework: crossdock's own SQL builder, then straight to D1. */
export const searchProducts: BareHandler = async (_request, env, url) => {
  const query = url.searchParams;
  const number = (name: string) => (query.has(name) ? Number(query.get(name)) : undefined);
  const search = buildProductSearch({
    q: query.get("q") ?? undefined,
    category: query.get("category") ?? undefined,
    minPrice: number("minPrice"),
    maxPrice: number("maxPrice"),
    sort: query.get("sort") ?? undefined,
    limit: number("limit"),
    cursor: query.get("cursor") ?? undefined,
  });
  const { results } = await env.DB.prepare(search.sql)
    .bind(...search.params)
    .all();
  return Response.json({ items: results });
};
