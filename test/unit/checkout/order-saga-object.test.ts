import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { OrderSaga } from "../../../src/durable-objects/checkout/order-saga";
import { isTerminal } from "../../../src/flows/checkout";
import {
  anOrder,
  aProduct,
  ledgerOf,
  orderRow,
  outboxOf,
  reservationsOf,
  sagaFor,
  sagaState,
  settle,
  stockOf,
} from "../../support/saga-orders";

const buyer = (userId: string) => ({ userId, role: "buyer" as const });
const merchant = (userId: string) => ({ userId, role: "merchant" as const });

describe("OrderSaga", () => {
  it("given a card that authorizes, then the order is confirmed and captured, stock taken once", async () => {
    const product = await aProduct(5);
    const order = await anOrder(product, { quantity: 2 });
    const saga = sagaFor(order.orderId);

    expect(await saga.start(order)).toEqual({ started: true });
    const state = await settle(saga);

    expect(state).toMatchObject({ status: "confirmed", payment: "captured", inventory: "sold" });
    expect(await stockOf(product.productId)).toBe(3);
    expect(await reservationsOf(order.orderId)).toEqual([
      { product_id: product.productId, quantity: 2, state: "sold" },
    ]);
    const row = await orderRow(order.orderId);
    expect(row).toMatchObject({ status: "confirmed", status_message: "Your order is confirmed" });
    expect(row?.version).toBe(state.version);
    expect(
      JSON.parse(row!.steps).map((s: { name: string; status: string }) => `${s.name}:${s.status}`),
    ).toEqual([
      "reserve-inventory:succeeded",
      "authorize-payment:succeeded",
      "confirm-order:succeeded",
      "capture-payment:succeeded",
    ]);
    const outbox = await outboxOf(order.orderId);
    expect(outbox.map((e) => e.type)).toEqual([
      "inventory.reserved",
      "payment.authorized",
      "order.confirmed",
      "payment.captured",
    ]);
    // One causal chain, from the saga, about the order.
    for (const [i, e] of outbox.entries()) {
      expect(e.envelope).toMatchObject({ source: "/crossdock/order-saga", subject: order.orderId });
      if (i > 0) expect(e.envelope.causationid).toBe(outbox[i - 1]!.envelope.id);
      expect(e.envelope.correlationid).toBe(outbox[0]!.envelope.correlationid);
    }
    const ledger = await ledgerOf(order.orderId);
    expect(ledger.captures).toHaveLength(1);
    expect(await saga.view()).toMatchObject({
      status: "confirmed",
      version: state.version,
      cancelReason: null,
    });
  });

  it("runs to the end on its own alarms, without a test driving them", async () => {
    const order = await anOrder(await aProduct(2));
    const saga = sagaFor(order.orderId);
    await saga.start(order);
    await vi.waitUntil(async () => isTerminal((await sagaState(saga))!.state), {
      timeout: 5_000,
      interval: 20,
    });
    expect((await saga.view())?.status).toBe("confirmed");
  });

  it("given every step succeeds, then one wake-up runs the forward path to the end", async () => {
    const wakeUps = vi.spyOn(OrderSaga.prototype, "alarm");
    try {
      const product = await aProduct(5);
      const order = await anOrder(product);
      const saga = sagaFor(order.orderId);

      await saga.start(order);
      const state = await settle(saga);

      expect(state).toMatchObject({ status: "confirmed", payment: "captured", inventory: "sold" });
      // Four steps, one wake-up (a second only if settle's own nudge raced the first).
      expect(wakeUps.mock.calls.length).toBeLessThanOrEqual(2);
    } finally {
      wakeUps.mockRestore();
    }
  });

  it("given a declined card, then the order is cancelled with the reason and its stock put back", async () => {
    const product = await aProduct(4);
    const order = await anOrder(product, { quantity: 3, paymentMethod: "pm_card_declined" });
    const saga = sagaFor(order.orderId);

    await saga.start(order);
    const state = await settle(saga);

    expect(state.status).toBe("cancelled");
    expect(state.cancelReason).toEqual({ code: "payment-declined", message: "your card was declined" });
    expect(await stockOf(product.productId)).toBe(4);
    expect(await reservationsOf(order.orderId)).toEqual([
      { product_id: product.productId, quantity: 3, state: "released" },
    ]);
    expect((await orderRow(order.orderId))?.status_message).toBe(
      "Your order was cancelled: your card was declined. You have not been charged.",
    );
    expect((await outboxOf(order.orderId)).map((e) => e.type)).toEqual([
      "inventory.reserved",
      "order.cancellation_started",
      "inventory.released",
      "order.cancelled",
    ]);
    const ledger = await ledgerOf(order.orderId);
    expect(ledger.captures).toEqual([]);
  });

  it("given a card whose authorization never answers, then it is voided, stock released, order cancelled", async () => {
    const product = await aProduct(2);
    const order = await anOrder(product, { paymentMethod: "pm_card_timeout" });
    const saga = sagaFor(order.orderId);

    await saga.start(order);
    const state = await settle(saga);

    expect(state.status).toBe("cancelled");
    expect(state.cancelReason?.code).toBe("payment-timeout");
    expect(state.steps.map((s) => `${s.name}:${s.status}`)).toEqual([
      "reserve-inventory:succeeded",
      "authorize-payment:timed-out",
      "void-authorization:succeeded",
      "release-inventory:succeeded",
    ]);
    expect(await stockOf(product.productId)).toBe(2);
    const ledger = await ledgerOf(order.orderId);
    expect(ledger.captures).toEqual([]);
    expect(ledger.authorizations.every((a) => a.status === "voided")).toBe(true);
    expect((await orderRow(order.orderId))?.status).toBe("cancelled");
  });

  it("given the same order started twice, then one saga runs and stock is taken once", async () => {
    const product = await aProduct(3);
    const order = await anOrder(product);
    const saga = sagaFor(order.orderId);

    const answers = await Promise.all([saga.start(order), saga.start(order)]);
    expect(answers.map((a) => a.started).sort()).toEqual([false, true]);
    expect(await saga.start(order)).toEqual({ started: false });
    await settle(saga);

    expect(await stockOf(product.productId)).toBe(2);
    expect((await outboxOf(order.orderId)).filter((e) => e.type === "order.confirmed")).toHaveLength(1);
  });

  it("given two orders for the last unit, then exactly one is confirmed and stock never goes negative", async () => {
    const product = await aProduct(1);
    const [a, b] = [await anOrder(product), await anOrder(product)];
    const [sagaA, sagaB] = [sagaFor(a.orderId), sagaFor(b.orderId)];

    await Promise.all([sagaA.start(a), sagaB.start(b)]);
    const states = await Promise.all([settle(sagaA), settle(sagaB)]);

    expect(states.map((s) => s.status).sort()).toEqual(["cancelled", "confirmed"]);
    expect(states.find((s) => s.status === "cancelled")?.cancelReason?.code).toBe("out-of-stock");
    expect(await stockOf(product.productId)).toBe(0);
  });

  it("given a cancel before confirmation, then it is accepted and everything is given back", async () => {
    const product = await aProduct(2);
    // The authorization hangs until the gateway's timeout, so the cancel lands before confirmation.
    const order = await anOrder(product, { paymentMethod: "pm_card_timeout" });
    const saga = sagaFor(order.orderId);
    await saga.start(order);

    const outcome = await saga.cancel(buyer(order.buyerId), "changed my mind");
    expect(outcome).toMatchObject({ ok: true, view: { status: "cancelling" } });
    const state = await settle(saga);

    expect(state.status).toBe("cancelled");
    expect(state.cancelReason).toEqual({ code: "requested-by-buyer", message: "cancelled at your request" });
    expect(await stockOf(product.productId)).toBe(2);
    expect((await ledgerOf(order.orderId)).captures).toEqual([]);
    expect(await saga.cancel(buyer(order.buyerId))).toMatchObject({ ok: false, reason: "already-cancelled" });
  });

  it("given a confirmed order, then a cancel is refused as too late", async () => {
    const order = await anOrder(await aProduct(2));
    const saga = sagaFor(order.orderId);
    await saga.start(order);
    await settle(saga);

    expect(await saga.cancel(buyer(order.buyerId))).toMatchObject({ ok: false, reason: "too-late" });
    expect((await saga.view())?.status).toBe("confirmed");
  });

  it("given a captured order, then a refund returns the money once and restocks", async () => {
    const product = await aProduct(5);
    const order = await anOrder(product, { quantity: 2 });
    const saga = sagaFor(order.orderId);
    await saga.start(order);
    await settle(saga);
    expect(await stockOf(product.productId)).toBe(3);

    const outcome = await saga.refund(merchant(product.merchantId));
    expect(outcome).toMatchObject({ ok: true, view: { status: "refunding" } });
    expect(await saga.refund(merchant(product.merchantId))).toMatchObject({
      ok: false,
      reason: "already-refunded",
    });
    const state = await settle(saga);

    expect(state).toMatchObject({ status: "refunded", payment: "refunded", inventory: "restocked" });
    expect(await stockOf(product.productId)).toBe(5);
    expect((await ledgerOf(order.orderId)).refunds).toHaveLength(1);
    expect((await outboxOf(order.orderId)).map((e) => e.type).slice(-4)).toEqual([
      "order.refund_requested",
      "payment.refunded",
      "inventory.restocked",
      "order.refunded",
    ]);
    expect((await orderRow(order.orderId))?.status).toBe("refunded");
  });

  it("given an unknown order, then cancel and refund say so and view is null", async () => {
    const saga = sagaFor(`ord_unknown_${crypto.randomUUID()}`);
    expect(await saga.view()).toBeNull();
    expect(await saga.cancel(buyer("usr_x"))).toMatchObject({ ok: false, reason: "unknown-order" });
    expect(await saga.refund(buyer("usr_x"))).toMatchObject({ ok: false, reason: "unknown-order" });
  });

  it("given the object is evicted mid-saga, then the next alarm resumes it to the end", async () => {
    const product = await aProduct(3);
    const order = await anOrder(product);
    const saga = sagaFor(order.orderId);
    await saga.start(order);
    await evictDurableObject(saga);

    const state = await settle(saga);
    expect(state).toMatchObject({ status: "confirmed", payment: "captured" });
    expect(await stockOf(product.productId)).toBe(2);
    expect((await ledgerOf(order.orderId)).captures).toHaveLength(1);
  });

  it("streams the status: the current one first, one per change, closing once terminal", async () => {
    const order = await anOrder(await aProduct(2));
    const saga = sagaFor(order.orderId);
    await saga.start(order);

    const response = await saga.fetch(`https://saga/v1/orders/${order.orderId}/stream`);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const events = readEvents(response);
    await settle(saga);
    const received = await events;

    expect(received[0]).toMatchObject({ status: "pending", terminal: false });
    expect(received.at(-1)).toMatchObject({ status: "confirmed", terminal: true });
    const versions = received.map((e) => e.version);
    expect(versions).toEqual([...versions].sort((x, y) => x - y));

    // A client that connects after the end gets the final status, and the stream closes.
    const late = await readEvents(await saga.fetch(`https://saga/v1/orders/${order.orderId}/stream`));
    expect(late).toEqual([received.at(-1)]);
  });

  it("given D1 refuses the order's writes, then the saga goes on and D1 catches up once it accepts", async () => {
    const order = await anOrder(await aProduct(2));
    const saga = sagaFor(order.orderId);
    const trigger = `orders_down_${order.orderId}`;
    await env.DB.exec(
      `CREATE TRIGGER ${trigger} BEFORE UPDATE ON orders WHEN NEW.id = '${order.orderId}' BEGIN SELECT RAISE(ABORT, 'd1 down'); END;`,
    );
    try {
      await saga.start(order);
      for (let i = 0; i < 200 && !isTerminal((await sagaState(saga))!.state); i++) {
        if (!(await runDurableObjectAlarm(saga))) await scheduler.wait(5);
      }
      const behind = await sagaState(saga);
      expect(behind?.state).toMatchObject({ status: "confirmed", payment: "captured" });
      expect(behind?.d1Version).toBe(0);
      expect(behind?.unsynced).toHaveLength(4);
      expect(await orderRow(order.orderId)).toMatchObject({ status: "pending", version: 1 });
      expect(await outboxOf(order.orderId)).toEqual([]);
    } finally {
      await env.DB.exec(`DROP TRIGGER ${trigger}`);
    }

    const state = await settle(saga);
    expect(await orderRow(order.orderId)).toMatchObject({ status: "confirmed", version: state.version });
    expect((await outboxOf(order.orderId)).map((e) => e.type)).toEqual([
      "inventory.reserved",
      "payment.authorized",
      "order.confirmed",
      "payment.captured",
    ]);
  });
});

interface StatusEvent {
  status: string;
  statusMessage: string;
  version: number;
  terminal: boolean;
}

/** Reads an SSE body to its end and returns the data of each `status` event. */
async function readEvents(response: Response): Promise<StatusEvent[]> {
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((frame) => frame.includes("event: status"))
    .map(
      (frame) =>
        JSON.parse(
          frame
            .split("\n")
            .find((l) => l.startsWith("data: "))!
            .slice(6),
        ) as StatusEvent,
    );
}
