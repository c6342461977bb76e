import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { insertProduct, insertPromotion } from "../../support/catalog";
import { call, postJson } from "../../support/http";
import type { TestProduct } from "../../support/products";
import { createTestUser, type TestUser } from "../../support/users";

interface Quote {
  id: string;
  lines: {
    productId: string;
    quantity: number;
    unitPrice: number;
    discount: number;
    tax: number;
    total: number;
  }[];
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
  currency: string;
  expiresAt: string;
  promoCode: string | null;
  shipTo: { country: string };
}

interface Problem {
  type: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

let buyer: TestUser;
let merchant: TestUser;
let mug: TestProduct;
let lamp: TestProduct;

beforeAll(async () => {
  [buyer, merchant] = await Promise.all([createTestUser("buyer"), createTestUser("merchant")]);
  mug = await insertProduct(merchant.id, { title: "Mug", category: "kitchen", priceMinor: 1250, stock: 10 });
  lamp = await insertProduct(merchant.id, {
    title: "Lamp",
    category: "lighting",
    priceMinor: 3999,
    stock: 2,
  });
});

const quote = (body: unknown, user: TestUser = buyer) => postJson("/v1/quotes", body, user.auth);
const cart = (extra: Record<string, unknown> = {}) => ({
  items: [
    { productId: mug.id, quantity: 2 },
    { productId: lamp.id, quantity: 1 },
  ],
  shipTo: { country: "us" },
  ...extra,
});

async function problemOf(res: Response, status: number): Promise<Problem> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return (await res.json()) as Problem;
}

describe("POST /v1/quotes", () => {
  it("prices a cart: subtotal, free domestic shipping at 50.00, 7.25% tax, stored with a 15-minute expiry", async () => {
    const before = Date.now();
    const res = await quote(cart());
    expect(res.status).toBe(200);
    const body = (await res.json()) as Quote;
    // 2 × 12.50 + 39.99 = 64.99 → free shipping; 6499 × 7.25% = 471.1775 → 471.
    expect(body).toMatchObject({ subtotal: 6499, discount: 0, shipping: 0, tax: 471, total: 6970 });
    expect(body).toMatchObject({ currency: "USD", promoCode: null, shipTo: { country: "US" } });
    expect(body.id).toMatch(/^qt_/);
    expect(body.lines.map((l) => [l.productId, l.quantity, l.unitPrice])).toEqual([
      [mug.id, 2, 1250],
      [lamp.id, 1, 3999],
    ]);
    expect(body.lines.reduce((s, l) => s + l.total, 0)).toBe(body.total - body.shipping);

    const expiresAt = Date.parse(body.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 900_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 900_000);

    const row = await env.DB.prepare(
      "SELECT user_id, total_minor, expires_at, created_at FROM quotes WHERE id = ?",
    )
      .bind(body.id)
      .first<{ user_id: string; total_minor: number; expires_at: number; created_at: number }>();
    expect(row).toMatchObject({ user_id: buyer.id, total_minor: 6970 });
    expect(row!.expires_at - row!.created_at).toBe(900_000);
  });

  it("applies a promo code typed in any case and answers it as stored", async () => {
    const promo = await insertPromotion({ kind: "percentage", value: 2000, category: "kitchen" });
    const res = await quote(cart({ promoCode: promo.code.toLowerCase(), shipTo: { country: "DE" } }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Quote;
    // 20% off the mugs only: 500. Goods 5999; 19% German VAT = 1139.81 → 1140; Europe ships at 19.99.
    expect(body).toMatchObject({ subtotal: 6499, discount: 500, shipping: 1999, tax: 1140, total: 9138 });
    expect(body.promoCode).toBe(promo.code);
    expect(body.lines.find((l) => l.productId === lamp.id)?.discount).toBe(0);
  });

  it("refuses an unknown product with 422 listing the ids", async () => {
    const res = await quote({ items: [{ productId: "prd_nope", quantity: 1 }], shipTo: { country: "US" } });
    const problem = await problemOf(res, 422);
    expect(problem).toMatchObject({ type: "/problems/unknown-product", productIds: ["prd_nope"] });
  });

  it("refuses more than is in stock with 409, counting repeated items together", async () => {
    const res = await quote({
      items: [
        { productId: lamp.id, quantity: 2 },
        { productId: lamp.id, quantity: 1 },
      ],
      shipTo: { country: "US" },
    });
    const problem = await problemOf(res, 409);
    expect(problem).toMatchObject({
      type: "/problems/insufficient-stock",
      items: [{ productId: lamp.id, requested: 3, available: 2 }],
    });
  });

  it("refuses unknown, expired and not-applicable codes with distinct 422 types", async () => {
    const unknown = await problemOf(await quote(cart({ promoCode: "NO-SUCH-CODE" })), 422);
    expect(unknown.type).toBe("/problems/promo-code-unknown");

    const expired = await insertPromotion({ expiresAt: Date.now() - 1000 });
    const exp = await problemOf(await quote(cart({ promoCode: expired.code })), 422);
    expect(exp.type).toBe("/problems/promo-code-expired");

    const big = await insertPromotion({ minSubtotalMinor: 100_000 });
    const min = await problemOf(await quote(cart({ promoCode: big.code })), 422);
    expect(min).toMatchObject({
      type: "/problems/promo-code-not-applicable",
      reason: "min-subtotal-not-met",
      minSubtotal: 100_000,
      subtotal: 6499,
    });
  });

  it("refuses a destination we do not deliver to with 422", async () => {
    const problem = await problemOf(await quote(cart({ shipTo: { country: "BR" } })), 422);
    expect(problem).toMatchObject({ type: "/problems/unsupported-destination", country: "BR" });
  });

  it("names every invalid field with 400", async () => {
    const res = await quote({ items: [{ productId: mug.id, quantity: 0 }], shipTo: { country: "USA" } });
    const problem = await problemOf(res, 400);
    expect(problem.type).toBe("/problems/validation-error");
    expect(problem.errors?.map((e) => e.field).sort()).toEqual(["items.0.quantity", "shipTo.country"]);
  });

  it("names unknown fields with 400 rather than ignoring them", async () => {
    const res = await quote({
      ...cart(),
      coupon: "X",
      items: [{ productId: mug.id, quantity: 1, price: 1 }],
    });
    const problem = await problemOf(res, 400);
    expect(problem.errors?.map((e) => e.field).sort()).toEqual(["coupon", "items.0.price"]);
  });

  it("answers a malformed JSON body with a 400 problem, not a 500", async () => {
    const res = await call("/v1/quotes", {
      method: "POST",
      headers: { ...buyer.auth, "content-type": "application/json" },
      body: '{"items": [',
    });
    expect((await problemOf(res, 400)).type).toBe("/problems/bad-request");
  });

  it("refuses a body not sent as JSON with a 415 problem", async () => {
    const res = await call("/v1/quotes", { method: "POST", headers: buyer.auth, body: "items=1" });
    expect((await problemOf(res, 415)).status).toBe(415);
  });

  it("is for buyers: 401 without a token, 403 for a merchant", async () => {
    expect((await problemOf(await postJson("/v1/quotes", cart()), 401)).type).toBe("/problems/unauthorized");
    expect((await problemOf(await quote(cart(), merchant), 403)).type).toBe("/problems/forbidden");
  });
});

describe("GET /v1/quotes/:id", () => {
  it("returns the owner's quote exactly as posted, even after the price changed", async () => {
    const posted = (await (await quote(cart())).json()) as Quote;
    await env.DB.prepare("UPDATE products SET price_minor = 99999 WHERE id = ?").bind(mug.id).run();
    try {
      const res = await call(`/v1/quotes/${posted.id}`, { headers: buyer.auth });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(posted);
    } finally {
      await env.DB.prepare("UPDATE products SET price_minor = ? WHERE id = ?")
        .bind(mug.priceMinor, mug.id)
        .run();
    }
  });

  it("answers another buyer exactly as it answers an unknown id: 404", async () => {
    const posted = (await (await quote(cart())).json()) as Quote;
    const other = await createTestUser("buyer");
    const theirs = await problemOf(await call(`/v1/quotes/${posted.id}`, { headers: other.auth }), 404);
    const unknown = await problemOf(await call("/v1/quotes/qt_doesnotexist", { headers: other.auth }), 404);
    expect(theirs.type).toBe("/problems/not-found");
    expect(unknown.type).toBe(theirs.type);
  });

  it("is for signed-in buyers", async () => {
    expect((await call("/v1/quotes/qt_x")).status).toBe(401);
    expect((await call("/v1/quotes/qt_x", { headers: merchant.auth })).status).toBe(403);
  });
});

describe("contract", () => {
  it("documents both quote routes in the OpenAPI document", async () => {
    const doc = (await (await call("/openapi.json")).json()) as { paths: Record<string, object> };
    expect(doc.paths["/v1/quotes"]).toHaveProperty("post");
    expect(doc.paths["/v1/quotes/{id}"]).toHaveProperty("get");
  });
});
