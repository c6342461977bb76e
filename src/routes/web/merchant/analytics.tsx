import type { z } from "@hono/zod-openapi";
import { pageSection } from "../../../platform/http/pages/section";
import type { ProductDailyMetricsSchema } from "../../analytics/analytics.schemas";
import type { ProductResponse } from "../../catalog/products.schemas";
import { orThrow } from "../errors";
import { apiFor, signedIn } from "../session";
import { MERCHANT_CSS, Pager, Table } from "./parts";
import { myProducts } from "./products";

const HREF = "/merchant/analytics";
type DailyMetrics = z.infer<typeof ProductDailyMetricsSchema>;

/** The figures shown, in column and chart-series order; the chart script reads the same keys. */
const FIGURES = [
  ["views", "Views"],
  ["addToCarts", "Added to cart"],
  ["removesFromCart", "Removed from cart"],
  ["checkoutsStarted", "Checkouts started"],
] as const;

const CHART_HEAD = (
  <>
    {MERCHANT_CSS}
    <link rel="stylesheet" href="/vendor/uplot/uPlot.min.css" />
    <script src="/vendor/uplot/uPlot.iife.min.js" defer />
    <script src="/web/analytics-chart.js" defer />
  </>
);

/**
 * Daily product analytics (GET /v1/analytics/products/{id}/daily): a table that is the page's content
 * and the chart's data (data attributes on its rows, read by public/web/analytics-chart.js). The chart
 * is a picture of the table, hidden from assistive technology, which reads the table.
 */
export const merchantAnalyticsSection = pageSection("Analytics", HREF, (r) =>
  r
    .get(HREF, signedIn("merchant"), async (c) => {
      const cursor = c.req.query("cursor");
      const page = await myProducts(c, cursor);
      return c.render(
        <>
          <h1>Analytics</h1>
          <p class="muted">
            Daily views, cart changes and checkouts per product, counted from your storefront's events a few
            seconds behind.
          </p>
          {page.items.length === 0 && !cursor ? (
            <p class="empty">
              No products yet, so no figures. <a href="/merchant/products">Add your first product</a>.
            </p>
          ) : (
            <>
              <ul class="link-list">
                {page.items.map((p: ProductResponse) => (
                  <li>
                    <a href={`${HREF}/${p.id}`}>{p.title}</a> <span class="muted">{p.sku}</span>
                  </li>
                ))}
              </ul>
              <Pager path={HREF} cursor={cursor} nextCursor={page.nextCursor} />
            </>
          )}
        </>,
        { title: "Analytics", section: HREF, head: MERCHANT_CSS },
      );
    })
    .get(`${HREF}/:productId`, signedIn("merchant"), async (c) => {
      const id = encodeURIComponent(c.req.param("productId"));
      const from = c.req.query("from");
      const to = c.req.query("to");
      const api = apiFor(c);
      // The figures first: they are what says 404 for another merchant's product.
      const metrics = orThrow(
        await api<DailyMetrics>(`/v1/analytics/products/${id}/daily`, { query: { from, to } }),
      );
      const product = orThrow(await api<ProductResponse>(`/v1/products/${id}`));
      const total = (key: (typeof FIGURES)[number][0]) => metrics.days.reduce((n, d) => n + d[key], 0);
      const quiet = FIGURES.every(([key]) => total(key) === 0);
      return c.render(
        <>
          <p>
            <a href={HREF}>← Analytics</a>
          </p>
          <h1>{product.title}: daily figures</h1>
          <form method="get" action={`${HREF}/${product.id}`} class="inline-form range-form">
            <label for="from">From</label>
            <input id="from" name="from" type="date" value={metrics.from} />
            <label for="to">To</label>
            <input id="to" name="to" type="date" value={metrics.to} />
            <button type="submit">Show</button>
          </form>
          <ul class="totals" aria-label="Totals for these days">
            {FIGURES.map(([key, label]) => (
              <li>
                <span class="muted">{label}</span> <strong>{total(key)}</strong>
              </li>
            ))}
          </ul>
          {quiet ? (
            <p class="empty">
              Nothing counted from {metrics.from} to {metrics.to}: the figures appear once buyers view this
              product.
            </p>
          ) : (
            <div id="analytics-chart" class="chart-box" aria-hidden="true" />
          )}
          <Table caption={`Per UTC day, ${metrics.from} to ${metrics.to}`}>
            <thead>
              <tr>
                <th scope="col">Day</th>
                {FIGURES.map(([, label]) => (
                  <th scope="col" class="num">
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody id="analytics-days">
              {metrics.days.map((d) => (
                <tr
                  data-day={d.day}
                  data-views={d.views}
                  data-add-to-carts={d.addToCarts}
                  data-removes-from-cart={d.removesFromCart}
                  data-checkouts-started={d.checkoutsStarted}
                >
                  <th scope="row">{d.day}</th>
                  {FIGURES.map(([key]) => (
                    <td class="num">{d[key]}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </Table>
        </>,
        { title: `${product.title}: analytics`, section: HREF, head: quiet ? MERCHANT_CSS : CHART_HEAD },
      );
    }),
);
