import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { OrderRow } from "../../../src/flows/checkout/order-view";
import { shardBindings, shardCount, shardIndexOf } from "../../../src/platform/db/shards";
import { consistencyToken } from "../../../src/routes/checkout/orders/consistency-token";
import { insertProduct } from "../../support/catalog";
import { anEvent } from "../../support/events";
import { call } from "../../support/http";
import { insertOrder } from "../../support/orders";
import type { TestProduct } from "../../support/products";
import { deliver } from "../../support/queues";
import { createTestUser, type TestUser } from "../../support/users";

// Runs in the `workers` project (one database, today's layout) and in the `shards` project (four):
// every expectation is written against the shard the seam names, so it holds for any N.
const QUEUE = "crossdock-order-projection";

let product: TestProduct;
beforeAll(async () => {
  const merchant = await createTestUser("merchant");
  product = await insertProduct(merchant.id, { priceMinor: 1250 });
});

const placed = (o: OrderRow) =>
  anEvent("order.placed", {
    orderId: o.id,
    buyerId: o.buyerId,
    lines: [
      { productId: product.id, quantity: 1, unitPrice: product.priceMinor, merchantId: product.merchantId },
    ],
    amount: o.totalMinor,
    currency: o.currency,
    paymentMethod: o.paymentMethod,
  });

/** Which shards hold a row of `table` for this order id. */
async function shardsHolding(table: string, column: string, id: string): Promise<number[]> {
  const holding: number[] = [];
  for (const [i, db] of shardBindings(env).entries()) {
    const row = await db.prepare(`SELECT 1 AS found FROM ${table} WHERE ${column} = ?`).bind(id).first();
    if (row) holding.push(i);
  }
  return holding;
}

/** Buyers until at least `wanted` shards have one (all buyers when there is one shard). */
async function buyersAcrossShards(wanted: number): Promise<TestUser[]> {
  const n = shardCount(env);
  const seen = new Map<number, TestUser>();
  for (let tries = 0; seen.size < Math.min(wanted, n) && tries < 200; tries++) {
    const buyer = await createTestUser("buyer");
    const i = shardIndexOf(buyer.id, n);
    if (!seen.has(i)) seen.set(i, buyer);
  }
  return [...seen.values()];
}

describe("order_views sharded by buyer", () => {
  it("given buyers on different shards, then each order's view and dedup row live only in its buyer's shard", async () => {
    const buyers = await buyersAcrossShards(4);
    expect(buyers.length).toBe(Math.min(4, shardCount(env)));
    const orders = await Promise.all(buyers.map((b) => insertOrder(b.id, [product])));
    const events = orders.map(placed);
    // One batch with every buyer's fact: the runtime splits it by shard and commits each part there.
    const result = await deliver(
      QUEUE,
      events.map((e) => ({ body: e, id: e.id })),
    );
    expect(result.explicitAcks.sort()).toEqual(events.map((e) => e.id).sort());
    for (const [i, o] of orders.entries()) {
      const home = shardIndexOf(o.buyerId, shardCount(env));
      expect(await shardsHolding("order_views", "id", o.id)).toEqual([home]);
      // The dedup row commits with the view, in its shard; the global database has the ledger's copy.
      expect(await shardsHolding("processed_events", "event_id", events[i]!.id)).toEqual([
        ...new Set([0, home]),
      ]);
    }
  });

  it("given a view in a shard other than the global database, then the delivery ledger still records its ack", async () => {
    const buyers = await buyersAcrossShards(4);
    const elsewhere = buyers.find((b) => shardIndexOf(b.id, shardCount(env)) !== 0);
    const buyer = elsewhere ?? buyers[0]!;
    const order = await insertOrder(buyer.id, [product]);
    const event = placed(order);
    await deliver(QUEUE, [{ body: event }]);
    // The reconciler and /ops/events read acks from the global database: without this row it would
    // re-send the fact forever.
    const ledger = await env.DB.prepare(
      "SELECT count(*) AS n FROM processed_events WHERE consumer = 'order-projection' AND event_id = ?",
    )
      .bind(event.id)
      .first<{ n: number }>();
    expect(ledger?.n).toBe(1);
    // A redelivery is a duplicate, found in the shard's own dedup rows.
    await deliver(QUEUE, [{ body: event }]);
    const outcomes = await env.DB.prepare(
      "SELECT outcome FROM consumer_attempts WHERE consumer = 'order-projection' AND event_id = ? ORDER BY id",
    )
      .bind(event.id)
      .all<{ outcome: string }>();
    expect(outcomes.results.map((r) => r.outcome)).toEqual(["acked", "duplicate"]);
    expect(await shardsHolding("order_views", "id", order.id)).toEqual([
      shardIndexOf(buyer.id, shardCount(env)),
    ]);
  });

  it("given buyers on different shards, then GET /v1/orders lists each one's own orders, waiting on the right shard", async () => {
    const buyers = await buyersAcrossShards(4);
    for (const buyer of buyers) {
      const order = await insertOrder(buyer.id, [product]);
      await deliver(QUEUE, [{ body: placed(order) }]);
      const token = consistencyToken({ orderId: order.id, version: order.version });
      const res = await call(`/v1/orders?consistencyToken=${encodeURIComponent(token)}`, {
        headers: buyer.auth,
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        items: { id: string; final: boolean }[];
        consistency: { caughtUp: boolean };
      };
      expect(body.items.map((i) => i.id)).toEqual([order.id]);
      expect(body.items[0]!.final).toBe(true);
      expect(body.consistency.caughtUp).toBe(true);
    }
  });
});
