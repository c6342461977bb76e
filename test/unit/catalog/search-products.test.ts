import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ProductSearchQuery } from "../../../src/flows/catalog/search-plan";
import { buildProductSearch } from "../../../src/flows/catalog/search-products";

const query = (q: Partial<ProductSearchQuery>): ProductSearchQuery => ({
  match: null,
  sort: "newest",
  limit: 20,
  fingerprint: "f",
  ...q,
});

async function plan(q: ProductSearchQuery): Promise<string> {
  const { sql, params } = buildProductSearch(q);
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  return results.map((r) => r.detail).join(" | ");
}

describe("buildProductSearch", () => {
  it("binds every value as a parameter, never into the SQL, and fetches one row beyond the page", () => {
    const { sql, params } = buildProductSearch(
      query({ match: '"x"*', sort: "price_asc", category: "books", minPrice: 5, maxPrice: 9, after: [7, 3] }),
    );
    expect(sql).not.toMatch(/books|"x"/);
    expect(params).toEqual(['"x"*', "books", 5, 9, 7, 3, 21]);
  });

  it("refuses relevance without a text match (there is nothing to rank)", () => {
    expect(() => buildProductSearch(query({ sort: "relevance" }))).toThrow();
  });

  // Browsing is the hot path: each order, with or without a category, must walk an index in order
  // and seek past the cursor, not sort the table.
  it.each([
    ["newest", undefined, "products_created_idx"],
    ["newest", "books", "products_category_created_idx"],
    ["price_asc", undefined, "products_price_idx"],
    ["price_desc", "books", "products_category_price_idx"],
  ] as const)("serves sort=%s category=%s from %s without a sort step", async (sort, category, index) => {
    const detail = await plan(query({ sort, category, after: [1000, 5] }));
    expect(detail).toContain(`USING INDEX ${index} (`);
    expect(detail).not.toContain("TEMP B-TREE");
  });

  it("ranks by relevance from the FTS index", async () => {
    const detail = await plan(query({ match: '"lamp"*', sort: "relevance" }));
    expect(detail).toMatch(/products_fts VIRTUAL TABLE/);
  });
});

describe("buildProductSearch: relevance reads whole rows for the page only", () => {
  // A common word matches thousands of products: every match must be scored, but sorting and cutting
  // (seq, score) pairs before reading products keeps the page from costing thousands of row reads.
  it.each([
    ["without a filter", {}],
    ["with a category and a price", { category: "books" as const, minPrice: 100 }],
  ])("orders and cuts the scored matches, then joins the page, %s", async (_name, filters) => {
    const detail = await plan(query({ match: '"lamp"*', sort: "relevance", after: [-3.5, 7], ...filters }));
    const steps = detail.split(" | ");
    const page = steps.indexOf("MATERIALIZE page");
    expect(page).toBeGreaterThan(-1);
    const rowReads = steps.map((s, i) => (/SEARCH p USING INTEGER PRIMARY KEY/.test(s) ? i : -1));
    const afterPage = steps.indexOf("SCAN page");
    // Only the filtered search reads products inside the cut (to test category and price).
    expect(rowReads.filter((i) => i > afterPage && afterPage > -1)).toHaveLength(1);
    expect(steps.slice(page, afterPage).some((s) => /SEARCH p /.test(s))).toBe("category" in filters);
  });
});
