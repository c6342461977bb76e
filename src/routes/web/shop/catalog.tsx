import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { CATEGORIES } from "../../../flows/catalog/categories";
import { SEARCH_PAGE_SIZE } from "../../../flows/catalog/search-plan";
import { PRODUCT_SORTS, type ProductSort } from "../../../flows/catalog/sorts";
import type { AppEnv } from "../../../platform/http/app-env";
import { pageSection } from "../../../platform/http/pages/section";
import type { ProductPageSchema } from "../../catalog/products.schemas";
import { problemText } from "../errors";
import { apiFor } from "../session";
import { analyticsHead, ProductCard } from "./product";

type ProductPage = z.infer<typeof ProductPageSchema>;

/** The API's filters, by the names it takes them under: the form's fields and the page's URL. */
const FILTERS = ["q", "category", "minPrice", "maxPrice", "sort", "limit"] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

const SORT_LABELS: Record<ProductSort, string> = {
  relevance: "Best match",
  newest: "Newest first",
  price_asc: "Price, low to high",
  price_desc: "Price, high to low",
};

// The API pages forward only (a cursor is "after this row"), so the way back is the trail of cursors
// that led here, kept in the URL: `back` lists them oldest first, "" standing for the first page.
// Bounded, so a long walk keeps its URL short; past that, "First page" still leads home.
const TRAIL_MAX = 10;

function pageHref(filters: Filters, cursor: string | undefined, back: string[]): string {
  const params = new URLSearchParams();
  for (const name of FILTERS) if (filters[name]) params.set(name, filters[name]);
  if (cursor) params.set("cursor", cursor);
  if (back.length > 0) params.set("back", back.join(","));
  const query = params.toString();
  return query ? `/shop?${query}` : "/shop";
}

const SearchForm = ({ filters }: { filters: Filters }) => (
  <form method="get" action="/shop" class="panel catalog-filters">
    <div class="filter-q">
      <label for="q">Search</label>
      <input id="q" name="q" type="search" value={filters.q} placeholder="lamp, brass, kettle…" />
    </div>
    <div>
      <label for="category">Category</label>
      <select id="category" name="category">
        <option value="">All categories</option>
        {CATEGORIES.map((c) => (
          <option value={c} selected={filters.category === c}>
            {c[0]?.toUpperCase() + c.slice(1)}
          </option>
        ))}
      </select>
    </div>
    <div>
      <label for="minPrice">Lowest price (cents)</label>
      <input id="minPrice" name="minPrice" inputmode="numeric" value={filters.minPrice} size={8} />
    </div>
    <div>
      <label for="maxPrice">Highest price (cents)</label>
      <input id="maxPrice" name="maxPrice" inputmode="numeric" value={filters.maxPrice} size={8} />
    </div>
    <div>
      <label for="sort">Sort</label>
      <select id="sort" name="sort">
        <option value="">Default</option>
        {PRODUCT_SORTS.map((s) => (
          <option value={s} selected={filters.sort === s}>
            {SORT_LABELS[s]}
          </option>
        ))}
      </select>
    </div>
    <div>
      <label for="limit">Per page</label>
      <select id="limit" name="limit">
        {[SEARCH_PAGE_SIZE.default, 40, SEARCH_PAGE_SIZE.max].map((n) => (
          <option
            value={String(n)}
            selected={(filters.limit ?? String(SEARCH_PAGE_SIZE.default)) === String(n)}
          >
            {n}
          </option>
        ))}
      </select>
    </div>
    <div class="filter-actions">
      <button type="submit" class="button primary">
        Search
      </button>
      <a href="/shop">Clear filters</a>
    </div>
  </form>
);

function describeFilters(f: Filters): string {
  const parts = [
    f.q && `“${f.q}”`,
    f.category && `in ${f.category}`,
    f.minPrice && `from ${f.minPrice} cents`,
    f.maxPrice && `up to ${f.maxPrice} cents`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(" ") : "the catalog";
}

async function catalogPage(c: Context<AppEnv>) {
  const filters: Filters = {};
  for (const name of FILTERS) {
    const value = c.req.query(name)?.trim();
    if (value) filters[name] = value;
  }
  const cursor = c.req.query("cursor") || undefined;
  const back = (c.req.query("back") ?? "").split(",").slice(-TRAIL_MAX);
  if (!c.req.query("back")) back.length = 0;
  const answer = await apiFor(c)<ProductPage>("/v1/products", { query: { ...filters, cursor } });
  const head = (
    <>
      <link rel="stylesheet" href="/web/shop.css" />
      {analyticsHead(c)}
    </>
  );
  if (!answer.ok) c.status(answer.status as 400);
  const items = answer.ok ? answer.body.items : [];
  const next = answer.ok ? answer.body.nextCursor : null;
  const previous = back.length > 0 ? back[back.length - 1] : undefined;
  return c.render(
    <>
      <h1>Shop</h1>
      <SearchForm filters={filters} />
      {filters.q && answer.ok && !cursor && (
        <span hidden data-analytics-view="search.performed" data-query={filters.q} />
      )}
      {!answer.ok ? (
        <p role="alert" class="notice notice-error">
          Those filters could not be used: {problemText(answer.problem)} <a href="/shop">Clear filters</a>
        </p>
      ) : items.length === 0 ? (
        <div class="empty">
          <p>
            <strong>No products match {describeFilters(filters)}.</strong>
          </p>
          <p>
            Try fewer words or a wider price range, or <a href="/shop">clear the filters</a> to see
            everything.
          </p>
        </div>
      ) : (
        <>
          <h2 class="visually-hidden">Results</h2>
          <ul class="grid product-grid">
            {items.map((p) => (
              <ProductCard product={p} />
            ))}
          </ul>
        </>
      )}
      {answer.ok && (cursor || next) && (
        <nav class="pager" aria-label="Pages">
          <span>
            {cursor && (
              <a href={pageHref(filters, previous || undefined, back.slice(0, -1))} rel="prev">
                ← Previous page
              </a>
            )}
            {previous && (
              <>
                {" · "}
                <a href={pageHref(filters, undefined, [])}>First page</a>
              </>
            )}
          </span>
          {next && (
            <a href={pageHref(filters, next, [...back, cursor ?? ""].slice(-TRAIL_MAX))} rel="next">
              Next page →
            </a>
          )}
        </nav>
      )}
    </>,
    { title: "Shop", section: "/shop", head },
  );
}

/** The catalog: search, filters, sorts and cursor paging as GET /v1/products has them. */
export const catalogSection = pageSection("Shop", "/shop", (r) => r.get("/shop", catalogPage));
