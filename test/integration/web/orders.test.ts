import { describe, expect, it } from "vitest";
import { orderDetails } from "../../../src/durable-objects/checkout/order-saga-client";
import { consistencyToken } from "../../../src/routes/checkout/orders/consistency-token";
import { SLOW_PAYMENT_TEXT } from "../../../src/routes/web/shop/order-progress";
import { insertProduct } from "../../support/catalog";
import { insertOrder, insertView } from "../../support/orders";
import { sagaFor, settle } from "../../support/saga-orders";
import { readSseEvents } from "../../support/sse";
import { createTestUser } from "../../support/users";
import { type WebVisitor, webVisitor } from "../../support/web";

/** A buyer signed in in the browser, with one order's row as POST /v1/orders leaves it (pending). */
async function aBuyerWithAnOrder(patch: Parameters<typeof insertOrder>[2] = {}, buyer?: WebVisitor) {
  const visitor = buyer ?? (await webVisitor("buyer"));
  const merchant = await createTestUser("merchant");
  const product = await insertProduct(merchant.id, { title: "Blue mug", priceMinor: 1250, stock: 5 });
  const order = await insertOrder(visitor.user!.id, [product], patch);
  return { buyer: visitor, order };
}

/** The order's saga run to its end, as the order-saga consumer and its alarms would. */
async function settled(patch: Parameters<typeof insertOrder>[2] = {}) {
  const { buyer, order } = await aBuyerWithAnOrder(patch);
  const saga = sagaFor(order.id);
  await saga.start(orderDetails(order));
  await settle(saga);
  return { buyer, order };
}

/** The page's words as a person reads them: no tags, entities decoded, spaces collapsed. */
const text = async (res: Response) =>
  (await res.text())
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

describe("the order page", () => {
  it("shows a confirmed order's steps done, with no cancel form and nothing to refresh", async () => {
    const { buyer, order } = await settled();
    const res = await buyer.get(`/shop/orders/${order.id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-settled="true"');
    expect(html).toContain('<span class="badge ok">Confirmed</span>');
    expect(html).toContain('role="status" aria-live="polite">Your order is confirmed</p>');
    expect(html.match(/<li class="stage done"/g)).toHaveLength(4);
    expect(html).not.toContain("Cancel this order");
    expect(html).not.toContain("Refresh");
  });

  it("says a declined card was declined, nothing was charged and the items were released", async () => {
    const { buyer, order } = await settled({ paymentMethod: "pm_card_declined" });
    const page = await text(await buyer.get(`/shop/orders/${order.id}`));
    expect(page).toContain("Your card was declined. Nothing was charged and the items were released.");
    expect(page).toContain("Confirming your payment Stopped");
    expect(page).toContain("Cancelled Everything undone");
    expect(page).not.toContain("Cancel this order");
  });

  it("answers at once with a pending order's state, a Refresh link and the cancel form", async () => {
    const { buyer, order } = await aBuyerWithAnOrder();
    const html = await (await buyer.get(`/shop/orders/${order.id}`)).text();
    expect(html).toContain('data-settled="false"');
    expect(html).toContain(`data-live="/shop/orders/${order.id}/live"`);
    expect(html).toContain(`href="/shop/orders/${order.id}">Refresh</a>`);
    expect(html).toContain(`action="/shop/orders/${order.id}/cancel"`);
    expect(await text(new Response(html))).toContain("Reserving your items Next");
  });

  it("tells the buyer a slow payment is slow, and that they may leave", async () => {
    const now = Date.now();
    const { buyer, order } = await aBuyerWithAnOrder({
      steps: [
        {
          name: "reserve-inventory",
          status: "succeeded",
          startedAt: now - 3000,
          finishedAt: now - 2900,
          attempts: 1,
        },
        {
          name: "authorize-payment",
          status: "running",
          startedAt: now - 2000,
          finishedAt: null,
          attempts: 1,
        },
      ],
    });
    const html = await (await buyer.get(`/shop/orders/${order.id}`)).text();
    expect(html).toMatch(/<p class="notice notice-warn order-slow" data-slow-in="0">/);
    expect(html).toContain(SLOW_PAYMENT_TEXT.replace("'", "&#39;"));
    // Just started: the note is there, hidden, for the page's script to show when it becomes slow.
    const fresh = await aBuyerWithAnOrder({
      steps: [
        {
          name: "authorize-payment",
          status: "running",
          startedAt: Date.now(),
          finishedAt: null,
          attempts: 1,
        },
      ],
    });
    const early = await (await fresh.buyer.get(`/shop/orders/${fresh.order.id}`)).text();
    expect(early).toMatch(/<p class="notice notice-warn order-slow" hidden="" data-slow-in="[1-9]\d*">/);
  });

  it("cancels through the API, then says what was undone", async () => {
    const { buyer, order } = await aBuyerWithAnOrder();
    const res = await buyer.post(`/shop/orders/${order.id}/cancel`, {});
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(
      new RegExp(`^/shop/orders/${order.id}\\?notice=cancelling&token=[^&]+$`),
    );
    await settle(sagaFor(order.id));
    const page = await text(await buyer.get(res.headers.get("location")!));
    expect(page).toContain("We're cancelling your order.");
    expect(page).toContain("You cancelled this order. Nothing was charged");
  });

  it("shows the API's words when the order can no longer be cancelled", async () => {
    const { buyer, order } = await settled();
    const res = await buyer.post(`/shop/orders/${order.id}/cancel`, {});
    expect(res.status).toBe(409);
    expect(await res.text()).toMatch(
      /role="alert"[^>]*>The order is confirmed and can no longer be cancelled/,
    );
  });

  it("answers another buyer's order as not found, page and stream alike", async () => {
    const { order } = await aBuyerWithAnOrder();
    const stranger = await webVisitor("buyer");
    for (const path of [`/shop/orders/${order.id}`, `/shop/orders/${order.id}/live`]) {
      const res = await stranger.get(path);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain("<h1>Not found</h1>");
    }
    const cancel = await stranger.post(`/shop/orders/${order.id}/cancel`, {});
    expect(cancel.status).toBe(404);
  });

  it("passes the API's event stream through /live with the cookie's session as the bearer", async () => {
    const { buyer, order } = await settled();
    const res = await buyer.get(`/shop/orders/${order.id}/live`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = await readSseEvents(res);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      event: "status",
      data: { orderId: order.id, status: "confirmed", terminal: true },
    });
    // A reconnection that saw the end is told to stop (204), as the API tells any EventSource.
    const again = await buyer.get(`/shop/orders/${order.id}/live`, { "last-event-id": events[0]!.id! });
    expect(again.status).toBe(204);
  });
});

describe("the order history", () => {
  it("invites a buyer with no orders to the shop", async () => {
    const buyer = await webVisitor("buyer");
    const res = await buyer.get("/shop/orders");
    expect(res.status).toBe(200);
    const page = await text(res);
    expect(page).toContain("You have not ordered anything yet.");
    expect(page).toContain("Browse the shop");
  });

  it("lists orders newest first with status badges, page by page with the API's cursor", async () => {
    const buyer = await webVisitor("buyer");
    const orders = [];
    for (let i = 0; i < 21; i++) {
      const { order } = await aBuyerWithAnOrder({ createdAt: Date.now() - i * 1000 }, buyer);
      await insertView(order);
      orders.push(order);
    }
    const first = await (await buyer.get("/shop/orders")).text();
    expect(first.match(/<tr><td><a href="\/shop\/orders\/ord_/g)).toHaveLength(20);
    expect(first.indexOf(orders[0]!.id)).toBeLessThan(first.indexOf(orders[1]!.id));
    expect(first).toContain('<span class="badge info">Processing</span>');
    const next = /href="(\/shop\/orders\?cursor=[^"]+)" rel="next"/.exec(first)?.[1]?.replace(/&amp;/g, "&");
    expect(next).toBeDefined();
    const second = await (await buyer.get(next!)).text();
    expect(second).toContain(orders[20]!.id);
    expect(second).not.toContain(orders[0]!.id);
    expect(second).toContain('href="/shop/orders">Newest orders</a>');
  });

  it("with a write's token, shows the order even before the list has caught up, and says so", async () => {
    const { buyer, order } = await aBuyerWithAnOrder();
    const token = consistencyToken({ orderId: order.id, version: order.version });
    const html = await (await buyer.get(`/shop/orders?token=${encodeURIComponent(token)}`)).text();
    expect(html).toContain(order.id);
    expect(html).toContain("Your latest change is still being processed");
  });
});
