import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { OrderRow } from "../../../src/flows/checkout/order-view";
import { insertProduct } from "../../support/catalog";
import { anEvent } from "../../support/events";
import { insertOrder, updateOrder, viewOf, viewsOf } from "../../support/orders";
import type { TestProduct } from "../../support/products";
import { deliver } from "../../support/queues";
import { createTestUser } from "../../support/users";

const QUEUE = "crossdock-order-projection";

let product: TestProduct;
beforeAll(async () => {
  const merchant = await createTestUser("merchant");
  product = await insertProduct(merchant.id, { priceMinor: 1250 });
});

const ref = (o: OrderRow) => ({ orderId: o.id, buyerId: o.buyerId });
const lines = () => [
  { productId: product.id, quantity: 1, unitPrice: product.priceMinor, merchantId: product.merchantId },
];
const placed = (o: OrderRow) =>
  anEvent("order.placed", {
    ...ref(o),
    lines: lines(),
    amount: o.totalMinor,
    currency: o.currency,
    paymentMethod: o.paymentMethod,
  });
const confirmed = (o: OrderRow) =>
  anEvent("order.confirmed", { ...ref(o), lines: lines(), amount: o.totalMinor, currency: o.currency });

async function anOrder() {
  const buyer = await createTestUser("buyer");
  return insertOrder(buyer.id, [product]);
}

describe("order-projection consumer", () => {
  it("given order.placed, then it lists the order as its row says", async () => {
    const order = await anOrder();
    const result = await deliver(QUEUE, [{ body: placed(order), id: "a" }]);
    expect(result.explicitAcks).toEqual(["a"]);
    expect(await viewOf(order.id)).toMatchObject({
      status: "pending",
      version: 1,
      item_count: 1,
      total_minor: order.totalMinor,
      status_message: order.statusMessage,
    });
  });

  it("given a later fact, then the view moves to the row's newer version", async () => {
    const order = await anOrder();
    await deliver(QUEUE, [{ body: placed(order) }]);
    await updateOrder(order.id, {
      status: "confirmed",
      statusMessage: "Your order is confirmed",
      version: 5,
    });
    await deliver(QUEUE, [{ body: confirmed(order) }]);
    expect(await viewOf(order.id)).toMatchObject({ status: "confirmed", version: 5 });
  });

  it("given an older read committing after a newer one, then the view does not go back", async () => {
    const order = await anOrder();
    await updateOrder(order.id, {
      status: "confirmed",
      statusMessage: "Your order is confirmed",
      version: 5,
    });
    await deliver(QUEUE, [{ body: confirmed(order) }]);
    // A slow delivery of order.placed that read the row while it was still at version 1.
    await updateOrder(order.id, { status: "pending", version: 1 });
    const late = await deliver(QUEUE, [{ body: placed(order), id: "late" }]);
    expect(late.explicitAcks).toEqual(["late"]);
    expect(await viewOf(order.id)).toMatchObject({ status: "confirmed", version: 5 });
  });

  it("given the same fact twice, then it is applied once and the second is a duplicate", async () => {
    const order = await anOrder();
    const event = placed(order);
    const first = await deliver(QUEUE, [
      { body: event, id: "a" },
      { body: event, id: "b" },
    ]);
    expect(first.explicitAcks.sort()).toEqual(["a", "b"]);
    await deliver(QUEUE, [{ body: event, id: "again" }]);
    const outcomes = await env.DB.prepare(
      "SELECT outcome FROM consumer_attempts WHERE consumer = 'order-projection' AND event_id = ? ORDER BY id",
    )
      .bind(event.id)
      .all<{ outcome: string }>();
    expect(outcomes.results.map((r) => r.outcome).sort()).toEqual(["acked", "duplicate", "duplicate"]);
    expect(await viewsOf(order.id)).toHaveLength(1);
  });

  it("given a fact for an order with no row, then it retries rather than dropping it", async () => {
    const ghost = { ...(await anOrder()), id: "ord_ghost" };
    const result = await deliver(QUEUE, [{ body: placed(ghost), id: "ghost" }]);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["ghost"]);
  });
});
