import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { insertProduct } from "../../support/catalog";
import { confirmedFact, DESK_QUEUE, placedFact, refundedFact } from "../../support/merchant-orders";
import { insertOrder, updateOrder } from "../../support/orders";
import type { TestProduct } from "../../support/products";
import { deliver } from "../../support/queues";
import { createTestUser } from "../../support/users";

let mug: TestProduct;
let lamp: TestProduct;
beforeAll(async () => {
  const mia = await createTestUser("merchant");
  const omar = await createTestUser("merchant");
  mug = await insertProduct(mia.id, { priceMinor: 1250, title: "Blue mug" });
  lamp = await insertProduct(omar.id, { priceMinor: 4000, title: "Desk lamp" });
});

async function anOrder() {
  const buyer = await createTestUser("buyer");
  return insertOrder(buyer.id, [mug, lamp]);
}

async function deskRows(orderId: string) {
  const rows = await env.DB.prepare(
    "SELECT merchant_id, status, version, lines, subtotal_minor FROM merchant_orders WHERE order_id = ? ORDER BY merchant_id",
  )
    .bind(orderId)
    .all<{ merchant_id: string; status: string; version: number; lines: string; subtotal_minor: number }>();
  return rows.results.map((r) => ({ ...r, lines: JSON.parse(r.lines) as unknown[] }));
}

const rowOf = async (orderId: string, merchantId: string) =>
  (await deskRows(orderId)).find((r) => r.merchant_id === merchantId);

describe("merchant-orders consumer", () => {
  it("given order.placed, then each merchant gets a row with only their own lines and subtotal", async () => {
    const order = await anOrder();
    const result = await deliver(DESK_QUEUE, [{ body: placedFact(order), id: "a" }]);
    expect(result.explicitAcks).toEqual(["a"]);
    expect(await rowOf(order.id, mug.merchantId)).toMatchObject({
      status: "pending",
      version: 1,
      subtotal_minor: 1250,
      lines: [
        { productId: mug.id, title: "Blue mug", quantity: 1, unitPriceMinor: 1250, lineTotalMinor: 1250 },
      ],
    });
    expect(await rowOf(order.id, lamp.merchantId)).toMatchObject({
      subtotal_minor: 4000,
      lines: [{ productId: lamp.id, title: "Desk lamp", lineTotalMinor: 4000 }],
    });
  });

  it("given a later fact, then every merchant's row moves to the order's newer version", async () => {
    const order = await anOrder();
    await deliver(DESK_QUEUE, [{ body: placedFact(order) }]);
    await updateOrder(order.id, { status: "confirmed", version: 5 });
    await deliver(DESK_QUEUE, [{ body: confirmedFact(order) }]);
    const rows = await deskRows(order.id);
    expect(rows.map((r) => [r.status, r.version])).toEqual([
      ["confirmed", 5],
      ["confirmed", 5],
    ]);
  });

  it("given an older read committing after a newer one (out of order), then no row goes back", async () => {
    const order = await anOrder();
    await updateOrder(order.id, { status: "refunded", version: 9 });
    await deliver(DESK_QUEUE, [{ body: refundedFact(order) }]);
    // Slow deliveries of earlier facts that read the row while it was still at older versions.
    await updateOrder(order.id, { status: "confirmed", version: 5 });
    await deliver(DESK_QUEUE, [{ body: confirmedFact(order), id: "late-confirm" }]);
    await updateOrder(order.id, { status: "pending", version: 1 });
    const late = await deliver(DESK_QUEUE, [{ body: placedFact(order), id: "late-place" }]);
    expect(late.explicitAcks).toEqual(["late-place"]);
    const rows = await deskRows(order.id);
    expect(rows.map((r) => [r.status, r.version])).toEqual([
      ["refunded", 9],
      ["refunded", 9],
    ]);
  });

  it("given the same fact twice, then it is applied once and each merchant keeps one row", async () => {
    const order = await anOrder();
    const event = placedFact(order);
    const first = await deliver(DESK_QUEUE, [
      { body: event, id: "a" },
      { body: event, id: "b" },
    ]);
    expect(first.explicitAcks.sort()).toEqual(["a", "b"]);
    // A republished copy (new event id) of the same state changes nothing either.
    await deliver(DESK_QUEUE, [{ body: { ...event, id: `${event.id}x` } }]);
    const outcomes = await env.DB.prepare(
      "SELECT outcome FROM consumer_attempts WHERE consumer = 'merchant-orders' AND event_id = ? ORDER BY id",
    )
      .bind(event.id)
      .all<{ outcome: string }>();
    expect(outcomes.results.map((r) => r.outcome).sort()).toEqual(["acked", "duplicate"]);
    const rows = await deskRows(order.id);
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.version === 1 && r.lines.length === 1)).toBe(true);
  });

  it("given a fact for an order with no row, then it retries rather than dropping it", async () => {
    const ghost = { ...(await anOrder()), id: "ord_ghost_desk" };
    const result = await deliver(DESK_QUEUE, [{ body: placedFact(ghost), id: "ghost" }]);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["ghost"]);
  });
});
