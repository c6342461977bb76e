import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { QuoteResponse } from "../../../src/routes/pricing/quotes.schemas";
import { call } from "../../support/http";
import { insertProducts, type TestProduct } from "../../support/products";
import { createTestUser } from "../../support/users";
import { type WebVisitor, webVisitor } from "../../support/web";

const CART_COOKIE = "__Host-crossdock-cart";

let lamp: TestProduct;
let mug: TestProduct;

beforeAll(async () => {
  const merchant = await createTestUser("merchant");
  [lamp, mug] = (await insertProducts(merchant.id, [
    { title: "Brass lamp", priceMinor: 4999, stock: 5 },
    { title: "Blue mug", priceMinor: 1250, stock: 40 },
  ])) as [TestProduct, TestProduct];
});

/** The cart cookie as the page wrote it (the value travels URL-encoded). */
const cartOf = (visitor: WebVisitor) => decodeURIComponent(visitor.cookies.get(CART_COOKIE) ?? "");

async function add(visitor: WebVisitor, product: TestProduct, quantity: number) {
  const res = await visitor.post("/shop/cart/add", { productId: product.id, quantity: String(quantity) });
  expect(res.status).toBe(303);
  expect(res.headers.get("location")).toBe("/shop/cart?notice=added");
}

describe("/shop/cart", () => {
  it("shows an empty cart as such, with a way to the shop", async () => {
    const res = await (await webVisitor()).get("/shop/cart");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<h1>Your cart</h1>");
    expect(html).toContain("Your cart is empty.");
    expect(html).not.toContain('action="/shop/cart/checkout"');
  });

  it("adds, changes and removes lines, with list prices and a subtotal labelled as an estimate", async () => {
    const visitor = await webVisitor();
    await add(visitor, lamp, 2);
    await add(visitor, mug, 1);
    await add(visitor, mug, 2);
    expect(cartOf(visitor)).toBe(`${lamp.id}:2,${mug.id}:3`);
    let html = await (await visitor.get("/shop/cart?notice=added")).text();
    expect(html).toContain("Added to your cart.");
    expect(html).toContain("Brass lamp");
    expect(html).toContain("$49.99");
    expect(html).toContain("$137.48"); // 2 × 49.99 + 3 × 12.50
    expect(html).toContain("the exact price, tax and shipping come with your quote");
    expect(html).toMatch(/Cart <span class="cart-count">5<\/span>/);

    const updated = await visitor.post("/shop/cart/update", { productId: mug.id, quantity: "1" });
    expect(updated.headers.get("location")).toBe("/shop/cart?notice=updated");
    expect(cartOf(visitor)).toBe(`${lamp.id}:2,${mug.id}:1`);

    const removed = await visitor.post("/shop/cart/remove", { productId: lamp.id });
    expect(removed.headers.get("location")).toBe("/shop/cart?notice=removed");
    expect(cartOf(visitor)).toBe(`${mug.id}:1`);
    html = await (await visitor.get("/shop/cart")).text();
    expect(html).not.toContain("Brass lamp");
    expect(html).toContain("$12.50");
  });

  it("refuses a quantity past the stock or not a number, on the product page with a 400", async () => {
    const visitor = await webVisitor();
    const tooMany = await visitor.post("/shop/cart/add", { productId: lamp.id, quantity: "6" });
    expect(tooMany.status).toBe(400);
    const html = await tooMany.text();
    expect(html).toMatch(/role="alert"[^>]*>quantity: must be a whole number from 1 to 5/);
    expect((await visitor.post("/shop/cart/add", { productId: lamp.id, quantity: "two" })).status).toBe(400);
    expect((await visitor.post("/shop/cart/update", { productId: lamp.id, quantity: "1" })).status).toBe(303);
    expect(visitor.cookies.has(CART_COOKIE)).toBe(false);
    expect((await visitor.post("/shop/cart/add", { productId: "prd_gone", quantity: "1" })).status).toBe(404);
  });

  it("reads a malformed cart cookie as an empty cart, and a vanished product as no longer sold", async () => {
    const visitor = await webVisitor();
    visitor.cookies.set(CART_COOKIE, "%%%,garbage:,x:0");
    const res = await visitor.get("/shop/cart");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Your cart is empty.");

    visitor.cookies.set(CART_COOKIE, `prd_vanished:1,${mug.id}:1`);
    const html = await (await visitor.get("/shop/cart")).text();
    expect(html).toContain("No longer sold");
    expect(html).toContain("Blue mug");
  });
});

describe("checking out", () => {
  it("sends a signed-out visitor to sign in and back to the cart, keeping the cart", async () => {
    const visitor = await webVisitor();
    await add(visitor, mug, 1);
    const res = await visitor.post("/shop/cart/checkout", { country: "US" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/account/login?next=%2Fshop%2Fcart");
    expect(cartOf(visitor)).toBe(`${mug.id}:1`);
  });

  it("is for buyers: a merchant gets the 403 page", async () => {
    const merchant = await webVisitor("merchant");
    await add(merchant, mug, 1);
    expect((await merchant.post("/shop/cart/checkout", { country: "US" })).status).toBe(403);
  });

  it("creates a quote for the cart's lines and goes to its checkout page", async () => {
    const buyer = await webVisitor("buyer");
    await add(buyer, lamp, 2);
    await add(buyer, mug, 3);
    const res = await buyer.post("/shop/cart/checkout", { country: "us" });
    expect(res.status).toBe(303);
    const id = /^\/shop\/checkout\/(qt_[A-Za-z0-9_-]+)$/.exec(res.headers.get("location") ?? "")?.[1];
    expect(id).toBeDefined();
    // The buyer's own quote, as the API shows it to them.
    const read = await call(`/v1/quotes/${id}`, {
      headers: { authorization: `Bearer ${buyer.user!.token}` },
    });
    expect(read.status).toBe(200);
    const quote = (await read.json()) as QuoteResponse;
    expect(quote.shipTo.country).toBe("US");
    expect(quote.lines.map((l) => [l.productId, l.quantity])).toEqual([
      [lamp.id, 2],
      [mug.id, 3],
    ]);
  });

  it("shows a quote's problem in the cart with the API's words and status", async () => {
    const merchant = await createTestUser("merchant");
    const [vase] = await insertProducts(merchant.id, [{ title: "Glass vase", stock: 4 }]);
    const buyer = await webVisitor("buyer");
    await add(buyer, vase!, 3);
    await env.DB.prepare("UPDATE products SET stock = 1 WHERE id = ?").bind(vase!.id).run();
    const res = await buyer.post("/shop/cart/checkout", { country: "US" });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toMatch(/role="alert"[^>]*>“Glass vase”: 3 requested, 1 available/);
    expect(html).toContain('value="US"');

    const country = await buyer.post("/shop/cart/checkout", { country: "USA" });
    expect(country.status).toBe(400);
    expect(await country.text()).toContain("shipTo.country: must be an ISO 3166-1 alpha-2 country code");
  });
});
