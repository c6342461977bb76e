import { describe, expect, it } from "vitest";
import { pageOf } from "../../support/merchant-desk";
import { insertProducts } from "../../support/products";
import { webVisitor } from "../../support/web";

describe("/merchant, the workspace's front page", () => {
  it("greets a new merchant with where to start instead of empty figures", async () => {
    const merchant = await webVisitor("merchant", "Nell New");
    const html = await pageOf(merchant, "/merchant");
    expect(html).toContain("<h1>Welcome, Nell New</h1>");
    expect(html).toContain("Add your first product or import a file");
    expect(html).toContain('href="/merchant/products#add-product"');
    expect(html).toContain('href="/merchant/imports"');
    expect(html).not.toContain("Orders to fulfil");
  });

  it("shows its figures read through the API, with links to each", async () => {
    const merchant = await webVisitor("merchant");
    await insertProducts(merchant.user!.id, [{ title: "Mug" }, { title: "Lamp" }, { title: "Vase" }]);
    const html = await pageOf(merchant, "/merchant");
    expect(html).toContain("<h1>Your workspace</h1>");
    expect(html).toMatch(/<h2>Products<\/h2><p class="figure-value">3<\/p>/);
    expect(html).toMatch(/<h2>Orders to fulfil<\/h2><p class="figure-value">0<\/p>/);
    expect(html).toContain("None yet: the day after your first sale.");
    for (const href of ["/merchant/orders", "/merchant/settlements", "/merchant/products"])
      expect(html).toContain(`href="${href}"`);
  });

  it("lists the workspace's sections in the header, in order", async () => {
    const html = await pageOf(await webVisitor("merchant"), "/merchant");
    const labels = [...html.matchAll(/<a href="\/merchant[^"]*"[^>]*>([^<]+)<\/a>/g)].map((m) => m[1]);
    expect(labels.slice(0, 8)).toEqual([
      "Workspace",
      "Products",
      "Imports",
      "Orders",
      "Reports",
      "Settlements",
      "API keys",
      "Analytics",
    ]);
  });

  it("is a 403 page for a buyer and sends an anonymous visitor to sign in", async () => {
    const buyer = await webVisitor("buyer");
    for (const path of [
      "/merchant",
      "/merchant/products",
      "/merchant/orders",
      "/merchant/settlements",
      "/merchant/api-keys",
      "/merchant/analytics",
    ]) {
      const html = await pageOf(buyer, path, 403);
      expect(html).toContain("This page is for merchant accounts.");
    }
    const anonymous = await (await webVisitor()).get("/merchant/orders");
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toBe("/account/login?next=%2Fmerchant%2Forders");
  });
});
