import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { TEST_PAYMENT_METHODS } from "../../../src/providers/payments/test-cards";
import { parseConsistencyToken } from "../../../src/routes/checkout/orders/consistency-token";
import { insertProduct } from "../../support/catalog";
import { countOrders, insertQuote } from "../../support/orders";
import { createTestUser } from "../../support/users";
import { type WebVisitor, webVisitor } from "../../support/web";

async function aBuyerWithAQuote(overrides: Parameters<typeof insertQuote>[2] = {}) {
  const merchant = await createTestUser("merchant");
  const product = await insertProduct(merchant.id, { title: "Blue mug", priceMinor: 1250, stock: 5 });
  const buyer = await webVisitor("buyer");
  const quote = await insertQuote(buyer.user!.id, [{ product, quantity: 2 }], overrides);
  return { buyer, product, quote };
}

const keyOn = (html: string) => /name="idempotencyKey" value="([^"]+)"/.exec(html)?.[1] ?? "";

async function place(buyer: WebVisitor, quoteId: string, paymentMethod = "pm_card_visa") {
  const page = await (await buyer.get(`/shop/checkout/${quoteId}`)).text();
  const key = keyOn(page.slice(page.indexOf('class="stack place-form"')));
  return { key, res: await buyer.post(`/shop/checkout/${quoteId}`, { idempotencyKey: key, paymentMethod }) };
}

describe("the checkout page", () => {
  it("shows the quote's lines, totals and price lock, and names every sandbox card", async () => {
    const { buyer, quote } = await aBuyerWithAQuote();
    const res = await buyer.get(`/shop/checkout/${quote.id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<h1>Checkout</h1>");
    expect(html).toContain("Blue mug");
    expect(html).toContain("$25.00"); // 2 × $12.50
    expect(html).toContain("$30.00"); // with $5.00 shipping
    expect(html).toMatch(/Price held until <time datetime="[^"]+">\d\d:\d\d UTC<\/time>/);
    expect(html).toMatch(/1[45]:\d\d<\/span> left/);
    for (const card of Object.keys(TEST_PAYMENT_METHODS)) expect(html).toContain(`value="${card}"`);
    expect(html).toContain("Declined by the bank");
    expect(html).toMatch(/<div class="notice notice-warn lock-expired" hidden=""/);
  });

  it("says when the price lock expired and gets a new price for the same lines", async () => {
    const { buyer, quote, product } = await aBuyerWithAQuote({ expiresAt: Date.now() - 1000 });
    const html = await (await buyer.get(`/shop/checkout/${quote.id}`)).text();
    expect(html).toContain("The price lock expired");
    expect(html).toMatch(/<p class="notice notice-ok lock-held" hidden=""/);
    expect(html).toMatch(/<button type="submit" class="button primary" disabled="">Place order/);
    const requote = await buyer.post(`/shop/checkout/${quote.id}/requote`, {
      idempotencyKey: crypto.randomUUID(),
    });
    expect(requote.status).toBe(303);
    const next = requote.headers.get("location") ?? "";
    expect(next).toMatch(/^\/shop\/checkout\/qt_/);
    expect(next).not.toContain(quote.id);
    const fresh = await (await buyer.get(next)).text();
    expect(fresh).toContain("Price held until");
    expect(fresh).toContain(product.title);
  });

  it("places the order and sends the buyer to its page with the API's consistency token", async () => {
    const { buyer, quote } = await aBuyerWithAQuote();
    const { res } = await place(buyer, quote.id);
    expect(res.status).toBe(303);
    const location = res.headers.get("location") ?? "";
    expect(location).toMatch(/^\/shop\/orders\/ord_[^?]+\?placed=1&token=[^&]+$/);
    const page = await buyer.get(location);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("your order is placed");
    // The token goes on to the history, the read model that needs it.
    expect(html).toMatch(/href="\/shop\/orders\?token=[^"]+">All your orders/);
  });

  it("keeps the order's D1 bookmark across the redirect in a short-lived cookie (read-your-writes)", async () => {
    const { buyer, quote } = await aBuyerWithAQuote();
    const { res } = await place(buyer, quote.id);
    const token = decodeURIComponent(/token=([^&]+)/.exec(res.headers.get("location") ?? "")?.[1] ?? "");
    const kept = buyer.cookies.get("__Host-crossdock-d1-bookmark");
    // Locally one database: the bookmark is the API's answer to POST /v1/orders, as its token carries it.
    expect(kept).toBe(parseConsistencyToken(token).bookmark);
    expect(res.headers.getSetCookie().join("\n")).toMatch(
      /__Host-crossdock-d1-bookmark=[^;]+; Max-Age=300; Path=\/; HttpOnly; Secure; SameSite=Lax/,
    );
    // A page only reads: it sends the cookie back and sets none. A tampered one is dropped, not refused.
    expect((await buyer.get(res.headers.get("location") ?? "")).headers.getSetCookie()).toEqual([]);
    buyer.cookies.set("__Host-crossdock-d1-bookmark", "first-primary");
    expect((await buyer.get(res.headers.get("location") ?? "")).status).toBe(200);
  });

  it("places one order when the same form is sent twice", async () => {
    const { buyer, quote } = await aBuyerWithAQuote();
    const { key, res } = await place(buyer, quote.id);
    const again = await buyer.post(`/shop/checkout/${quote.id}`, {
      idempotencyKey: key,
      paymentMethod: "pm_card_visa",
    });
    expect(again.status).toBe(303);
    expect(again.headers.get("location")).toBe(res.headers.get("location"));
    expect(await countOrders({ buyerId: buyer.user!.id })).toBe(1);
  });

  it("shows the API's words and a way forward when the quote was used already", async () => {
    const { buyer, quote } = await aBuyerWithAQuote();
    await place(buyer, quote.id);
    const { res } = await place(buyer, quote.id);
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toMatch(
      /role="alert"[^>]*><p>Quote &#39;qt_\w+&#39; has already been used for an order\.<\/p>/,
    );
    expect(html).toContain('<a href="/shop/orders">See your orders</a>');
  });

  it("shows the API's 410 and offers a new price when the lock ran out while the buyer chose", async () => {
    const { buyer, quote } = await aBuyerWithAQuote({ expiresAt: Date.now() - 1000 });
    const res = await buyer.post(`/shop/checkout/${quote.id}`, {
      idempotencyKey: crypto.randomUUID(),
      paymentMethod: "pm_card_visa",
    });
    expect(res.status).toBe(410);
    const html = await res.text();
    expect(html).toMatch(/role="alert"[^>]*><p>Quote &#39;qt_\w+&#39; expired at/);
    expect(html).toContain("Get a new price");
    expect(await countOrders({ buyerId: buyer.user!.id })).toBe(0);
  });

  it("says which product is no longer sold and leads back to the shop", async () => {
    const { buyer, quote, product } = await aBuyerWithAQuote();
    await env.DB.prepare("DELETE FROM products WHERE id = ?").bind(product.id).run();
    const { res } = await place(buyer, quote.id);
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain(`&#39;${product.id}&#39; is no longer sold; request a new quote.`);
    // The checkout again, not an error page (which has a link back to the shop too).
    expect(html).toContain("<h1>Checkout</h1>");
    expect(html).toContain('<a href="/shop">Back to the shop</a>');
  });

  it("answers another buyer's quote as not found, and sends a visitor to sign in", async () => {
    const { quote } = await aBuyerWithAQuote();
    const stranger = await webVisitor("buyer");
    const res = await stranger.get(`/shop/checkout/${quote.id}`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("<h1>Not found</h1>");
    const anonymous = await webVisitor();
    const signIn = await anonymous.get(`/shop/checkout/${quote.id}`);
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get("location")).toBe(
      `/account/login?next=${encodeURIComponent(`/shop/checkout/${quote.id}`)}`,
    );
  });
});
