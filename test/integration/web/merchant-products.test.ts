import { describe, expect, it } from "vitest";
import { call } from "../../support/http";
import { pageOf, roleText } from "../../support/merchant-desk";
import { insertProducts } from "../../support/products";
import { createTestUser } from "../../support/users";
import { webVisitor } from "../../support/web";

const aForm = (overrides: Record<string, string> = {}) => ({
  title: "Brass desk lamp",
  sku: `LAMP-${crypto.randomUUID().slice(0, 8)}`,
  description: "A lamp for a desk.",
  category: "lighting",
  price: "49.90",
  stock: "12",
  idempotencyKey: crypto.randomUUID(),
  ...overrides,
});

interface Page {
  items: { id: string; merchantId: string; title: string }[];
  nextCursor: string | null;
}

describe("GET /v1/products?merchantId=", () => {
  it("lists one merchant's products only, newest first, with cursors bound to that merchant", async () => {
    const [mia, omar] = await Promise.all([createTestUser("merchant"), createTestUser("merchant")]);
    const mine = await insertProducts(mia.id, [{ title: "A" }, { title: "B" }, { title: "C" }]);
    await insertProducts(omar.id, [{ title: "Not hers" }]);
    const first = (await (await call(`/v1/products?merchantId=${mia.id}&limit=2`)).json()) as Page;
    expect(first.items.map((p) => p.id)).toEqual([mine[0]!.id, mine[1]!.id]);
    const second = (await (
      await call(`/v1/products?merchantId=${mia.id}&limit=2&cursor=${first.nextCursor}`)
    ).json()) as Page;
    expect(second).toEqual({ items: [expect.objectContaining({ id: mine[2]!.id })], nextCursor: null });
    const foreign = await call(`/v1/products?merchantId=${omar.id}&limit=2&cursor=${first.nextCursor}`);
    expect(foreign.status).toBe(400);
    expect(((await foreign.json()) as { type: string }).type).toBe("/problems/invalid-cursor");
  });
});

describe("/merchant/products", () => {
  it("shows a new merchant the empty state and the form", async () => {
    const html = await pageOf(await webVisitor("merchant"), "/merchant/products");
    expect(html).toContain("No products yet.");
    expect(html).toContain('<form method="post" action="/merchant/products"');
    expect(html).toContain('<label for="price">Price (USD)</label>');
  });

  it("adds a product through the form (post/redirect/get) and lists it with its analytics link", async () => {
    const merchant = await webVisitor("merchant");
    const res = await merchant.post("/merchant/products", aForm());
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/merchant/products?done=product-added");
    const html = await pageOf(merchant, "/merchant/products?done=product-added");
    expect(roleText(html, "status")).toBe("Product added. It is in the catalog now.");
    expect(html).toContain("Brass desk lamp");
    expect(html).toContain("$49.90");
    const [product] = ((await (await call(`/v1/products?merchantId=${merchant.user!.id}`)).json()) as Page)
      .items;
    expect(product?.title).toBe("Brass desk lamp");
    expect(html).toContain(`href="/merchant/analytics/${product!.id}"`);
  });

  it("re-renders a bad form with the API's words and status, keeping what was typed", async () => {
    const merchant = await webVisitor("merchant");
    const res = await merchant.post("/merchant/products", aForm({ sku: "bad sku!", title: "Kept title" }));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(roleText(html, "alert")).toContain("sku: 1-64 letters, digits, '.', '_' or '-'");
    expect(html).toContain('value="Kept title"');
    const price = await merchant.post("/merchant/products", aForm({ price: "lots" }));
    expect(price.status).toBe(400);
    expect(roleText(await price.text(), "alert")).toMatch(/^price: /);
  });

  it("answers a duplicate SKU with the API's 409 words", async () => {
    const merchant = await webVisitor("merchant");
    const form = aForm();
    expect((await merchant.post("/merchant/products", form)).status).toBe(303);
    const again = await merchant.post("/merchant/products", { ...form, idempotencyKey: crypto.randomUUID() });
    expect(again.status).toBe(409);
    expect(roleText(await again.text(), "alert")).toContain(
      `You already have a product with SKU '${form.sku}'.`,
    );
  });

  it("pages through the merchant's products with the API's cursor", async () => {
    const merchant = await webVisitor("merchant");
    const rows = Array.from({ length: 21 }, (_, i) => ({ title: `Thing ${String(i).padStart(2, "0")}` }));
    await insertProducts(merchant.user!.id, rows);
    const first = await pageOf(merchant, "/merchant/products");
    expect(first).toContain("Thing 00");
    expect(first).not.toContain("Thing 20");
    const next = /href="(\/merchant\/products\?cursor=[^"]+)">Next page/.exec(first)?.[1];
    expect(next).toBeDefined();
    const second = await pageOf(merchant, next!.replaceAll("&amp;", "&"));
    expect(second).toContain("Thing 20");
    expect(second).toContain("First page");
  });
});
