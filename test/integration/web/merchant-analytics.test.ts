import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { todayAt } from "../../support/analytics";
import { pageOf } from "../../support/merchant-desk";
import { insertProducts } from "../../support/products";
import { createTestUser } from "../../support/users";
import { webVisitor } from "../../support/web";

/** The read model's counters for a product and day, as the analytics consumer would have left them. */
const counted = (
  productId: string,
  day: string,
  views: number,
  addToCarts: number,
  checkoutsStarted: number,
) =>
  env.DB.prepare(
    "INSERT INTO product_daily_metrics (product_id, day, views, add_to_carts, removes_from_cart, checkouts_started, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)",
  )
    .bind(productId, day, views, addToCarts, checkoutsStarted, Date.now())
    .run();

describe("/merchant/analytics", () => {
  it("lists the merchant's products, or says there are none yet", async () => {
    const empty = await pageOf(await webVisitor("merchant"), "/merchant/analytics");
    expect(empty).toContain("No products yet, so no figures.");
    const merchant = await webVisitor("merchant");
    const [mug] = await insertProducts(merchant.user!.id, [{ title: "Mug" }]);
    expect(await pageOf(merchant, "/merchant/analytics")).toContain(
      `<a href="/merchant/analytics/${mug!.id}">Mug</a>`,
    );
  });

  it("shows a product's daily figures as a table that also feeds the chart", async () => {
    const merchant = await webVisitor("merchant");
    const [mug] = await insertProducts(merchant.user!.id, [{ title: "Mug" }]);
    const { day } = todayAt();
    await counted(mug!.id, day, 7, 3, 1);
    const html = await pageOf(merchant, `/merchant/analytics/${mug!.id}`);
    expect(html).toContain("<h1>Mug: daily figures</h1>");
    expect(html).toContain('<div id="analytics-chart" class="chart-box" aria-hidden="true">');
    expect(html).toContain('<script src="/web/analytics-chart.js" defer="">');
    expect(html).toContain(
      `<tr data-day="${day}" data-views="7" data-add-to-carts="3" data-removes-from-cart="0" data-checkouts-started="1"><th scope="row">${day}</th><td class="num">7</td><td class="num">3</td><td class="num">0</td><td class="num">1</td></tr>`,
    );
    // 30 days by default, zeros included.
    expect(html.match(/<tr data-day=/g)).toHaveLength(30);
  });

  it("says nothing was counted instead of drawing an empty chart", async () => {
    const merchant = await webVisitor("merchant");
    const [mug] = await insertProducts(merchant.user!.id, [{ title: "Mug" }]);
    const html = await pageOf(merchant, `/merchant/analytics/${mug!.id}?from=2026-01-01&to=2026-01-07`);
    expect(html).toContain("Nothing counted from 2026-01-01 to 2026-01-07");
    expect(html).not.toContain("analytics-chart");
    expect(html.match(/<tr data-day=/g)).toHaveLength(7);
  });

  it("answers another merchant's product with a 404 page and a bad range with the API's 400", async () => {
    const owner = await createTestUser("merchant");
    const [vase] = await insertProducts(owner.id, [{ title: "Vase" }]);
    const stranger = await webVisitor("merchant");
    expect(await pageOf(stranger, `/merchant/analytics/${vase!.id}`, 404)).toContain("<h1>Not found</h1>");
    const merchant = await webVisitor("merchant");
    const [mug] = await insertProducts(merchant.user!.id, [{ title: "Mug" }]);
    const html = await pageOf(merchant, `/merchant/analytics/${mug!.id}?from=2026-02-10&to=2026-02-01`, 400);
    expect(html).toContain("That request was not right");
  });

  it("is a 403 page for a buyer", async () => {
    expect(await pageOf(await webVisitor("buyer"), "/merchant/analytics/prd_x", 403)).toContain(
      "This page is for merchant accounts.",
    );
  });
});
