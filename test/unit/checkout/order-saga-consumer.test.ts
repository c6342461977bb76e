import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { orderSagaConsumer } from "../../../src/consumers/checkout/order-saga";
import type { ExternalConsumer } from "../../../src/platform/events/consumer";
import { anEvent, attemptsOf } from "../../support/events";
import { deliver, runConsumerOn } from "../../support/queues";
import { anOrder, aProduct, outboxOf, sagaFor, settle, stockOf } from "../../support/saga-orders";

describe("order-saga consumer", () => {
  it("given order.placed delivered twice, then one saga starts and carries the event's correlation", async () => {
    const product = await aProduct(3);
    const order = await anOrder(product);
    const placed = anEvent("order.placed", order);

    const first = await deliver("crossdock-order-saga", [{ body: placed, id: "a" }]);
    const again = await deliver("crossdock-order-saga", [{ body: placed, id: "b" }]);
    expect([first.explicitAcks, again.explicitAcks]).toEqual([["a"], ["b"]]);

    const saga = sagaFor(order.orderId);
    expect(await saga.start(order)).toEqual({ started: false });
    await settle(saga);
    expect(await stockOf(product.productId)).toBe(2);
    const outbox = await outboxOf(order.orderId);
    expect(outbox[0]?.envelope).toMatchObject({
      causationid: placed.id,
      correlationid: placed.correlationid,
    });
    expect(outbox.every((e) => e.envelope.traceparent === placed.traceparent)).toBe(true);
  });

  it("given a redelivery, then the saga's own start dedups it: both deliveries run it and are acked, and the ledger has the ack", async () => {
    const order = await anOrder(await aProduct(3));
    const placed = anEvent("order.placed", order);

    await deliver("crossdock-order-saga", [{ body: placed, id: "a" }]);
    await deliver("crossdock-order-saga", [{ body: placed, id: "b", attempts: 2 }]);

    // Through the DedupStore the second would be a "duplicate" that never reached the saga.
    expect((await attemptsOf(placed.id, "order-saga")).map((a) => a.outcome)).toEqual(["acked", "acked"]);
    const ack = await env.DB.prepare(
      "SELECT count(*) AS n FROM processed_events WHERE consumer = 'order-saga' AND event_id = ?",
    )
      .bind(placed.id)
      .first<{ n: number }>();
    expect(ack?.n).toBe(1);
    expect(await sagaFor(order.orderId).view()).toMatchObject({ orderId: order.orderId });
  });
});

describe("external consumers' concurrency", () => {
  const inFlightPeak = async (concurrency: number | undefined) => {
    let inFlight = 0;
    let peak = 0;
    const consumer: ExternalConsumer<"order.placed"> = {
      ...orderSagaConsumer,
      concurrency,
      async handle() {
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, 20));
        inFlight--;
      },
    };
    const orders = await Promise.all(Array.from({ length: 5 }, async () => anOrder(await aProduct(1))));
    const result = await runConsumerOn(
      consumer as ExternalConsumer,
      orders.map((o, i) => ({ body: anEvent("order.placed", o), id: `m${i}` })),
    );
    expect(result.explicitAcks).toHaveLength(5);
    return peak;
  };

  it("given no concurrency, then a batch's messages are handled one after another", async () => {
    expect(await inFlightPeak(undefined)).toBe(1);
  });

  it("given a concurrency of 3, then at most 3 of a batch's messages are handled at once", async () => {
    expect(await inFlightPeak(3)).toBe(3);
  });
});
