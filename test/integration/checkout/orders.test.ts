import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { consistencyToken } from "../../../src/routes/checkout/orders/consistency-token";
import { insertProduct } from "../../support/catalog";
import { call, postJson } from "../../support/http";
import { countOrders, insertOrder, insertQuote, insertView } from "../../support/orders";
import type { TestProduct } from "../../support/products";
import { createTestUser, type TestUser } from "../../support/users";

interface Accepted {
  id: string;
  status: string;
  statusUrl: string;
  consistencyToken: string;
}

let merchant: TestUser;
let otherMerchant: TestUser;
let mug: TestProduct;
let lamp: TestProduct;

beforeAll(async () => {
  [merchant, otherMerchant] = await Promise.all([createTestUser("merchant"), createTestUser("merchant")]);
  mug = await insertProduct(merchant.id, { title: "Mug", priceMinor: 1250, stock: 50 });
  lamp = await insertProduct(otherMerchant.id, { title: "Lamp", priceMinor: 3999, stock: 50 });
});

const place = (user: TestUser, quoteId: string, key: string | null = crypto.randomUUID()) =>
  postJson(
    "/v1/orders",
    { quoteId, paymentMethod: "pm_card_visa" },
    { ...user.auth, ...(key === null ? {} : { "idempotency-key": key }) },
  );

describe("POST /v1/orders", () => {
  it("answers 202 with the order's id, status URL and consistency token, and a Location", async () => {
    const buyer = await createTestUser("buyer");
    const quote = await insertQuote(buyer.id, [{ product: mug, quantity: 2 }, { product: lamp }]);
    const res = await place(buyer, quote.id);
    expect(res.status).toBe(202);
    const body = await res.json<Accepted>();
    expect(body).toEqual({
      id: expect.stringMatching(/^ord_/),
      status: "pending",
      statusUrl: `/v1/orders/${body.id}`,
      consistencyToken: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
    });
    expect(res.headers.get("location")).toBe(body.statusUrl);
  });

  it("writes the order and its order.placed together, built from the stored quote and the merchants", async () => {
    const buyer = await createTestUser("buyer");
    const quote = await insertQuote(buyer.id, [{ product: mug, quantity: 2 }, { product: lamp }]);
    const { id } = await (await place(buyer, quote.id)).json<Accepted>();
    const order = await env.DB.prepare("SELECT * FROM orders WHERE id = ?")
      .bind(id)
      .first<Record<string, unknown>>();
    expect(order).toMatchObject({
      buyer_id: buyer.id,
      quote_id: quote.id,
      payment_method: "pm_card_visa",
      total_minor: quote.totalMinor,
      status: "pending",
      version: 1,
    });
    expect(JSON.parse(order!.merchant_ids as string).sort()).toEqual([merchant.id, otherMerchant.id].sort());
    const outbox = await env.DB.prepare("SELECT type, envelope FROM outbox WHERE subject = ?")
      .bind(id)
      .all<{ type: string; envelope: string }>();
    expect(outbox.results.map((r) => r.type)).toEqual(["order.placed"]);
    expect(JSON.parse(outbox.results[0]!.envelope).data).toEqual({
      orderId: id,
      buyerId: buyer.id,
      lines: [
        { productId: mug.id, quantity: 2, unitPrice: 1250, merchantId: merchant.id },
        { productId: lamp.id, quantity: 1, unitPrice: 3999, merchantId: otherMerchant.id },
      ],
      amount: quote.totalMinor,
      currency: "USD",
      paymentMethod: "pm_card_visa",
    });
  });

  it("refuses a request without an Idempotency-Key: 400", async () => {
    const buyer = await createTestUser("buyer");
    const quote = await insertQuote(buyer.id, [{ product: mug }]);
    const res = await place(buyer, quote.id, null);
    expect(res.status).toBe(400);
    expect((await res.json<{ type: string }>()).type).toBe("/problems/idempotency-key-missing");
    expect(await countOrders({ buyerId: buyer.id })).toBe(0);
  });

  it("answers 404 for an unknown quote and for another buyer's quote alike", async () => {
    const [buyer, other] = await Promise.all([createTestUser("buyer"), createTestUser("buyer")]);
    const theirs = await insertQuote(other.id, [{ product: mug }]);
    for (const quoteId of [theirs.id, "qt_unknown"]) {
      const res = await place(buyer, quoteId);
      expect(res.status).toBe(404);
    }
    expect(await countOrders({ buyerId: buyer.id })).toBe(0);
  });

  it("answers 410 quote-expired for an expired quote", async () => {
    const buyer = await createTestUser("buyer");
    const quote = await insertQuote(buyer.id, [{ product: mug }], { expiresAt: Date.now() - 1000 });
    const res = await place(buyer, quote.id);
    expect(res.status).toBe(410);
    expect((await res.json<{ type: string }>()).type).toBe("/problems/quote-expired");
  });

  it("refuses a malformed payment method naming the field", async () => {
    const buyer = await createTestUser("buyer");
    const quote = await insertQuote(buyer.id, [{ product: mug }]);
    const res = await postJson(
      "/v1/orders",
      { quoteId: quote.id, paymentMethod: "card 4242" },
      { ...buyer.auth, "idempotency-key": crypto.randomUUID() },
    );
    expect(res.status).toBe(400);
    const problem = await res.json<{ errors: { field: string }[] }>();
    expect(problem.errors.map((e) => e.field)).toContain("paymentMethod");
  });

  it("is for buyers: a merchant gets 403", async () => {
    const quote = await insertQuote(merchant.id, [{ product: mug }]);
    expect((await place(merchant, quote.id)).status).toBe(403);
  });

  it("given the same key twice, then it creates one order and replays the first answer", async () => {
    const buyer = await createTestUser("buyer");
    const quote = await insertQuote(buyer.id, [{ product: mug }]);
    const key = crypto.randomUUID();
    const first = await place(buyer, quote.id, key);
    const second = await place(buyer, quote.id, key);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect((await second.json<Accepted>()).id).toBe((await first.json<Accepted>()).id);
    expect(await countOrders({ buyerId: buyer.id })).toBe(1);
  });

  it("given concurrent duplicates with one key, then exactly one order exists", async () => {
    const buyer = await createTestUser("buyer");
    const quote = await insertQuote(buyer.id, [{ product: mug }]);
    const key = crypto.randomUUID();
    const answers = await Promise.all([1, 2, 3].map(() => place(buyer, quote.id, key)));
    const statuses = answers.map((r) => r.status);
    expect(statuses).toContain(202);
    for (const s of statuses) expect([202, 409]).toContain(s);
    expect(await countOrders({ buyerId: buyer.id })).toBe(1);
  });

  it("given a used quote and a new key, then 409 quote-already-used", async () => {
    const buyer = await createTestUser("buyer");
    const quote = await insertQuote(buyer.id, [{ product: mug }]);
    expect((await place(buyer, quote.id)).status).toBe(202);
    const again = await place(buyer, quote.id);
    expect(again.status).toBe(409);
    expect((await again.json<{ type: string }>()).type).toBe("/problems/quote-already-used");
    expect(await countOrders({ buyerId: buyer.id })).toBe(1);
  });

  it("given concurrent requests with different keys for one quote, then one order and one order.placed", async () => {
    const buyer = await createTestUser("buyer");
    const quote = await insertQuote(buyer.id, [{ product: mug }]);
    const answers = await Promise.all([1, 2, 3].map(() => place(buyer, quote.id)));
    expect(answers.map((r) => r.status).sort()).toEqual([202, 409, 409]);
    expect(await countOrders({ buyerId: buyer.id })).toBe(1);
    const facts = await env.DB.prepare(
      "SELECT count(*) AS n FROM outbox WHERE type = 'order.placed' AND envelope LIKE ?",
    )
      .bind(`%"buyerId":"${buyer.id}"%`)
      .first<{ n: number }>();
    expect(facts?.n).toBe(1);
  });
});

describe("GET /v1/orders/{id}", () => {
  it("shows the owner the status, message, steps, lines and totals", async () => {
    const buyer = await createTestUser("buyer");
    const quote = await insertQuote(buyer.id, [{ product: mug, quantity: 3 }]);
    const { id } = await (await place(buyer, quote.id)).json<Accepted>();
    const res = await call(`/v1/orders/${id}`, { headers: buyer.auth });
    expect(res.status).toBe(200);
    const order = await res.json<Record<string, unknown>>();
    expect(order).toMatchObject({
      id,
      status: "pending",
      statusMessage: "We're processing your order",
      cancelReason: null,
      total: quote.totalMinor,
      subtotal: quote.subtotalMinor,
      shipping: quote.shippingMinor,
      currency: "USD",
    });
    expect(order.lines).toEqual([
      expect.objectContaining({ productId: mug.id, quantity: 3, merchantId: merchant.id }),
    ]);
    expect(Array.isArray(order.steps)).toBe(true);
  });

  it("shows the saga's steps with ISO times", async () => {
    const buyer = await createTestUser("buyer");
    const at = Date.UTC(2030, 0, 1, 12);
    const order = await insertOrder(buyer.id, [mug], {
      steps: [
        {
          name: "reserve-inventory",
          idempotencyKey: "x:reserve",
          status: "succeeded",
          startedAt: at,
          finishedAt: at + 1500,
          attempts: 1,
          detail: null,
          stalledAt: null,
        },
      ],
    });
    const body = await (await call(`/v1/orders/${order.id}`, { headers: buyer.auth })).json<{
      steps: unknown[];
    }>();
    expect(body.steps).toEqual([
      {
        name: "reserve-inventory",
        status: "succeeded",
        startedAt: "2030-01-01T12:00:00.000Z",
        finishedAt: "2030-01-01T12:00:01.500Z",
        attempts: 1,
        detail: null,
      },
    ]);
  });

  it("answers 404 to anyone else, merchants included", async () => {
    const [buyer, other] = await Promise.all([createTestUser("buyer"), createTestUser("buyer")]);
    const order = await insertOrder(buyer.id, [mug]);
    for (const user of [other, merchant]) {
      expect((await call(`/v1/orders/${order.id}`, { headers: user.auth })).status).toBe(404);
      expect((await call(`/v1/orders/${order.id}/stream`, { headers: user.auth })).status).toBe(404);
    }
  });
});

interface OrderList {
  items: { id: string; status: string; final: boolean; itemCount: number; total: { amount: number } }[];
  nextCursor: string | null;
  consistency: { caughtUp: boolean; pendingOrderIds: string[] };
}

const list = (user: TestUser, query = "") => call(`/v1/orders${query}`, { headers: user.auth });

describe("GET /v1/orders", () => {
  it("lists the buyer's orders from the read model, newest first, a page at a time", async () => {
    const buyer = await createTestUser("buyer");
    const older = await insertOrder(buyer.id, [mug], { createdAt: Date.now() - 2000 });
    const newer = await insertOrder(buyer.id, [mug, lamp]);
    await Promise.all([insertView(older), insertView(newer)]);
    const first = await (await list(buyer, "?limit=1")).json<OrderList>();
    expect(first.items.map((i) => i.id)).toEqual([newer.id]);
    expect(first.items[0]).toMatchObject({ itemCount: 2, total: { amount: newer.totalMinor }, final: true });
    expect(first.consistency).toEqual({ caughtUp: true, pendingOrderIds: [] });
    const second = await (await list(buyer, `?limit=1&cursor=${first.nextCursor}`)).json<OrderList>();
    expect(second.items.map((i) => i.id)).toEqual([older.id]);
    expect(second.nextCursor).toBeNull();
  });

  it("refuses a malformed cursor with 400 invalid-cursor", async () => {
    const buyer = await createTestUser("buyer");
    for (const cursor of ["not-a-cursor!", btoa("[1]"), "WzE3NjcyMjU2MDAwMDAsIiJd"]) {
      const res = await list(buyer, `?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(await res.json()).toMatchObject({ type: "/problems/invalid-cursor", status: 400 });
    }
  });

  it("given a token the view has reached, then it answers at once, caught up", async () => {
    const buyer = await createTestUser("buyer");
    const order = await insertOrder(buyer.id, [mug], { status: "confirmed", version: 4 });
    await insertView(order);
    const started = Date.now();
    const res = await list(buyer, `?consistencyToken=${consistencyToken({ orderId: order.id, version: 4 })}`);
    expect(Date.now() - started).toBeLessThan(1000);
    const body = await res.json<OrderList>();
    expect(body.consistency).toEqual({ caughtUp: true, pendingOrderIds: [] });
    expect(body.items).toEqual([expect.objectContaining({ id: order.id, status: "confirmed", final: true })]);
  });

  it("given a view behind the token, then within the bounded wait it says not caught up and shows no settled status", async () => {
    const buyer = await createTestUser("buyer");
    const order = await insertOrder(buyer.id, [mug], { status: "confirmed", version: 4 });
    await insertView(order);
    const started = Date.now();
    const res = await list(buyer, `?consistencyToken=${consistencyToken({ orderId: order.id, version: 7 })}`);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1500);
    expect(elapsed).toBeLessThan(5000);
    const body = await res.json<OrderList>();
    expect(body.consistency).toEqual({ caughtUp: false, pendingOrderIds: [order.id] });
    expect(body.items).toEqual([
      expect.objectContaining({ id: order.id, status: "processing", final: false }),
    ]);
  });

  it("given an order the view has not heard of, then it lists it from the order as processing, not final", async () => {
    const buyer = await createTestUser("buyer");
    const order = await insertOrder(buyer.id, [mug]);
    const body = await (
      await list(buyer, `?consistencyToken=${consistencyToken({ orderId: order.id, version: 1 })}`)
    ).json<OrderList>();
    expect(body.consistency.caughtUp).toBe(false);
    expect(body.items).toEqual([
      expect.objectContaining({ id: order.id, status: "processing", final: false }),
    ]);
  });

  it("given a placed order, then the projection catches the list up to its token", async () => {
    const buyer = await createTestUser("buyer");
    const quote = await insertQuote(buyer.id, [{ product: mug }]);
    const accepted = await (await place(buyer, quote.id)).json<Accepted>();
    let body: OrderList | undefined;
    for (let i = 0; i < 10 && !body?.consistency.caughtUp; i++) {
      body = await (await list(buyer, `?consistencyToken=${accepted.consistencyToken}`)).json<OrderList>();
    }
    expect(body?.consistency.caughtUp).toBe(true);
    expect(body?.items).toEqual([expect.objectContaining({ id: accepted.id, final: true })]);
    // The saga runs its whole forward path in one wake-up, so the view may already be past the token.
    expect(["pending", "confirmed"]).toContain(body?.items[0]?.status);
  });

  it("refuses a malformed token, and a token for someone else's order, with 400", async () => {
    const [buyer, other] = await Promise.all([createTestUser("buyer"), createTestUser("buyer")]);
    const theirs = await insertOrder(other.id, [mug]);
    for (const token of [
      "not-a-token!",
      "eyJ4IjoxfQ",
      consistencyToken({ orderId: theirs.id, version: 1 }),
    ]) {
      const res = await list(buyer, `?consistencyToken=${encodeURIComponent(token)}`);
      expect(res.status).toBe(400);
      expect((await res.json<{ type: string }>()).type).toBe("/problems/invalid-consistency-token");
    }
  });
});

describe("cancel and refund: who may ask", () => {
  it("cancel: another buyer gets 404, a merchant 403", async () => {
    const [buyer, other] = await Promise.all([createTestUser("buyer"), createTestUser("buyer")]);
    const order = await insertOrder(buyer.id, [mug]);
    expect((await postJson(`/v1/orders/${order.id}/cancel`, {}, other.auth)).status).toBe(404);
    expect((await postJson(`/v1/orders/${order.id}/cancel`, {}, merchant.auth)).status).toBe(403);
  });

  it("refund: a buyer gets 403, a merchant with no line in it 404, one sharing it with others 403", async () => {
    const buyer = await createTestUser("buyer");
    const outsider = await createTestUser("merchant");
    const shared = await insertOrder(buyer.id, [mug, lamp], { status: "confirmed" });
    expect((await postJson(`/v1/orders/${shared.id}/refund`, {}, buyer.auth)).status).toBe(403);
    expect((await postJson(`/v1/orders/${shared.id}/refund`, {}, outsider.auth)).status).toBe(404);
    const res = await postJson(`/v1/orders/${shared.id}/refund`, {}, merchant.auth);
    expect(res.status).toBe(403);
    expect((await postJson("/v1/orders/ord_unknown/refund", {}, merchant.auth)).status).toBe(404);
  });
});
