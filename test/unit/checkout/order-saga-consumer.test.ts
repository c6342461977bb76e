import { describe, expect, it } from "vitest";
import { anEvent } from "../../support/events";
import { deliver } from "../../support/queues";
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
});
