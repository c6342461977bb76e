import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { OrderSaga, SagaCause } from "../../../src/durable-objects/checkout/order-saga";
import { orderDetails } from "../../../src/durable-objects/checkout/order-saga-client";
import { orderStuckMs, resumeStuckOrders } from "../../../src/durable-objects/checkout/resume-stuck-orders";
import { newEvent } from "../../../src/platform/events/new-event";
import { createLogger } from "../../../src/platform/observability/logger";
import type { OrderRow } from "../../../src/routes/checkout/orders/order-record";
import { insertProduct } from "../../support/catalog";
import { insertOutboxRow } from "../../support/events";
import { call } from "../../support/http";
import { insertOrder } from "../../support/orders";
import type { TestProduct } from "../../support/products";
import { sagaFor, sagaState, settle } from "../../support/saga-orders";
import { createTestUser, type TestUser } from "../../support/users";

const STUCK_MS = orderStuckMs(env);
let mug: TestProduct;
beforeAll(async () => {
  const merchant = await createTestUser("merchant");
  mug = await insertProduct(merchant.id, { priceMinor: 1250, stock: 1_000 });
});

/** An order placed `ageMs` ago whose row has not moved since, as the orders API left it. */
async function anOrderPlaced(buyer: TestUser, ageMs: number, patch: Partial<OrderRow> = {}) {
  const at = Date.now() - ageMs;
  return insertOrder(buyer.id, [mug], { createdAt: at, updatedAt: at, ...patch });
}

/** Its `order.placed`, in the outbox as the orders API commits it with the row. */
async function placedFact(row: OrderRow) {
  const causation = {
    correlationId: `req-${crypto.randomUUID()}`,
    causationId: `req-${crypto.randomUUID()}`,
    traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
  };
  const fact = newEvent(
    "order.placed",
    row.id,
    orderDetails(row),
    causation,
    "/crossdock/api",
    row.createdAt,
  );
  await insertOutboxRow(fact, row.createdAt);
  return fact;
}

async function resume() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({}, (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  const outcome = await resumeStuckOrders(env, Date.now(), log);
  const nudgeOf = (orderId: string) =>
    lines.find((l) => l.msg === "checkout.order-resumed" && l.orderId === orderId);
  return { outcome, lines, nudgeOf };
}

const traceOf = (orderId: string) =>
  runInDurableObject(
    sagaFor(orderId),
    async (_o: OrderSaga, state) =>
      (await state.storage.get<{ trace: { correlationId: string } }>("saga"))?.trace ?? null,
  );

describe("resumeStuckOrders", () => {
  it("starts a saga that never started from its order.placed fact; GET /v1/orders/:id shows it settle", async () => {
    const buyer = await createTestUser("buyer");
    const row = await anOrderPlaced(buyer, STUCK_MS + 60_000);
    const fact = await placedFact(row);

    const { outcome, nudgeOf } = await resume();

    expect(outcome.started).toBeGreaterThanOrEqual(1);
    expect(outcome.failed).toBe(0);
    const nudge = nudgeOf(row.id);
    expect(nudge).toMatchObject({ level: "info", status: "pending", started: true, from: "outbox" });
    expect(nudge?.stuckMs).toBeGreaterThanOrEqual(STUCK_MS + 60_000);
    // The saga's facts join the order's trace, as when the consumer starts it.
    expect(await traceOf(row.id)).toMatchObject({ correlationId: fact.correlationid });

    expect((await settle(sagaFor(row.id))).status).toBe("confirmed");
    // Nobody opened the stream: the status resource reads the row the saga keeps current.
    const res = await call(`/v1/orders/${row.id}`, { headers: buyer.auth });
    expect(await res.json()).toMatchObject({ id: row.id, status: "confirmed" });
  });

  it("starts it from the order row once the outbox has pruned the fact", async () => {
    const buyer = await createTestUser("buyer");
    const row = await anOrderPlaced(buyer, 80 * 3_600_000);

    const { nudgeOf } = await resume();

    expect(nudgeOf(row.id)).toMatchObject({ started: true, from: "row" });
    expect((await settle(sagaFor(row.id))).status).toBe("confirmed");
  });

  it("re-arms a started saga whose alarm was lost with its process, and it moves on", async () => {
    const buyer = await createTestUser("buyer");
    const row = await anOrderPlaced(buyer, STUCK_MS + 5_000);
    const fact = await placedFact(row);
    const stub = sagaFor(row.id);
    const cause: SagaCause = {
      id: fact.id,
      correlationid: fact.correlationid,
      traceparent: fact.traceparent,
    };
    // Started, then its wake-up lost before it fired: one callback, so the alarm cannot run between.
    await runInDurableObject(stub, async (saga: OrderSaga, state) => {
      await saga.start(orderDetails(row), cause);
      await state.storage.deleteAlarm();
    });
    const alarm = () => runInDurableObject(stub, (_o: OrderSaga, state) => state.storage.getAlarm());
    expect(await alarm()).toBeNull();
    expect((await sagaState(stub))?.state.status).toBe("pending");

    const { nudgeOf } = await resume();

    expect(nudgeOf(row.id)).toMatchObject({ started: false, from: "outbox" });
    // settle() only runs alarms that are set: without the re-arm it gives up with the saga pending.
    expect((await settle(stub)).status).toBe("confirmed");
  });

  it("leaves alone an order that moved recently, and orders at rest", async () => {
    const buyer = await createTestUser("buyer");
    const recent = await anOrderPlaced(buyer, STUCK_MS - 5_000);
    const cancelled = await anOrderPlaced(buyer, STUCK_MS + 60_000, { status: "cancelled" });
    const confirmed = await anOrderPlaced(buyer, STUCK_MS + 60_000, { status: "confirmed" });
    for (const row of [recent, cancelled, confirmed]) await placedFact(row);

    const { nudgeOf } = await resume();

    for (const row of [recent, cancelled, confirmed]) {
      expect(nudgeOf(row.id)).toBeUndefined();
      expect(await sagaState(sagaFor(row.id))).toBeNull();
    }
  });
});
