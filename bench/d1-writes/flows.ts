/**
 * The three write shapes the D1 ceiling bench drives, each built by the code production runs:
 * - `checkout`: what `POST /v1/orders` commits (src/routes/checkout/orders/orders.handlers.ts): the
 *   order row from `newOrder` and its `order.placed` from `outboxStatements`, in one batch;
 * - `analytics`: one analytics consumer invocation over a full queue batch, through `runConsumer`
 *   (dedup read, the `countEventsStatements` batch with the `processed_events` markers, then the
 *   `consumer_attempts` batch);
 * - `bookkeeping`: `runConsumer` over a full batch with a handler that writes nothing of its own, so
 *   only the runtime's per-delivery rows are left (`processed_events` + `consumer_attempts`).
 * Only the request around them is left out (auth, the quote read, the queue delivery): the ceiling is
 * about the database, and the worker's other work would only share the CPU with it.
 */
import "../../src/flows";
import { analyticsConsumer } from "../../src/consumers/analytics";
import { analyticsFlow } from "../../src/flows/analytics/flow";
import { orders } from "../../src/flows/checkout/schema";
import type { QuoteRow } from "../../src/flows/pricing/schema";
import { getDb } from "../../src/platform/db/client";
import type { D1Consumer } from "../../src/platform/events/consumer";
import { runConsumer } from "../../src/platform/events/consumer-runtime";
import { newEvent } from "../../src/platform/events/new-event";
import { outboxStatements } from "../../src/platform/events/outbox";
import type { ConsumerName } from "../../src/platform/events/registry";
import { newId } from "../../src/platform/ids";
import { newOrder } from "../../src/routes/checkout/orders/order-record";
import { benchQuoteLine } from "../lib/quote-line";

export const FLOWS = ["checkout", "analytics", "bookkeeping"] as const;
export type Flow = (typeof FLOWS)[number];

/** A full queue batch, as a consumer meets it at saturation: the analytics queue's own max_batch_size. */
export const CONSUMER_BATCH = analyticsFlow.consumers.analytics.delivery.maxBatchSize;

/** The business operation each flow's one call stands for, and how many of them a call does. */
export const OPERATION: Record<Flow, { name: string; perCall: number }> = {
  checkout: { name: "order placed", perCall: 1 },
  analytics: { name: "analytics message (1 client event)", perCall: CONSUMER_BATCH },
  bookkeeping: { name: "delivery", perCall: CONSUMER_BATCH },
};

const causation = (id: string) => ({
  correlationId: id,
  causationId: id,
  traceparent: "00-00000000000000000000000000000001-0000000000000001-01",
});

const MERCHANT = "usr_bench_merchant";
const PRODUCTS = Array.from({ length: 50 }, (_, i) => `prd_bench_${i}`);

/** A one-line quote as POST /v1/quotes prices it; unique per order, as the orders.quote_id index wants. */
function quoteOf(buyerId: string, n: number, now: number): QuoteRow {
  const productId = PRODUCTS[n % PRODUCTS.length]!;
  return {
    id: newId("qt", now),
    userId: buyerId,
    currency: "USD",
    shipToCountry: "US",
    promoCode: null,
    lines: [benchQuoteLine(productId, `Bench product ${productId}`)],
    subtotalMinor: 1000,
    discountMinor: 0,
    shippingMinor: 500,
    taxMinor: 0,
    totalMinor: 1500,
    createdAt: now,
    expiresAt: now + 3_600_000,
  } as QuoteRow;
}

/** The placement's write, statement for statement: the handler's `db.batch` after its quote read. */
async function placeOrder(env: Env, n: number) {
  const db = getDb(env.DB);
  const now = Date.now();
  const buyerId = `usr_bench_buyer_${n % 1000}`;
  const quote = quoteOf(buyerId, n, now);
  const merchantOf = new Map(PRODUCTS.map((p) => [p, MERCHANT]));
  const { row, details } = newOrder(quote, merchantOf, {
    id: newId("ord", now),
    buyerId,
    paymentMethod: "pm_card_visa",
    now,
  });
  const requestId = newId("req", now);
  const placed = newEvent("order.placed", row.id, details, causation(requestId), "/crossdock/api", now);
  const request = {
    requestId,
    method: "POST",
    path: "/v1/orders",
    userId: buyerId,
    traceId: "00000000000000000000000000000001",
  };
  await db.batch([db.insert(orders).values(row), ...outboxStatements(db, [placed], request, now)]);
}

/** A queue batch of `analytics.events_received` facts, one client event each (capacity's default). */
function analyticsBatch(n: number): MessageBatch<unknown> {
  const now = Date.now();
  const messages = Array.from({ length: CONSUMER_BATCH }, (_, i) => {
    const k = n * CONSUMER_BATCH + i;
    const search = k % 5 === 4;
    const event = newEvent(
      "analytics.events_received",
      MERCHANT,
      {
        ownerId: MERCHANT,
        events: [
          {
            id: `bench-${crypto.randomUUID()}`,
            type: search ? "search.performed" : "product.viewed",
            occurredAt: new Date(now).toISOString(),
            ...(search ? { query: `query ${k % 37}` } : { productId: PRODUCTS[k % PRODUCTS.length]! }),
          },
        ],
      },
      causation(newId("req", now)),
      "/crossdock/api",
      now,
    );
    return fakeMessage(event, now);
  });
  // Only what runConsumer reads: the queue's delivery metadata plays no part in the writes.
  return { queue: "analytics", messages, ackAll() {}, retryAll() {} } as unknown as MessageBatch<unknown>;
}

const fakeMessage = (body: unknown, now: number) =>
  ({
    id: crypto.randomUUID(),
    timestamp: new Date(now),
    body,
    attempts: 1,
    ack() {},
    retry() {},
  }) as Message<unknown>;

/**
 * A consumer whose effect is nothing: runConsumer still commits each delivery's `processed_events`
 * marker and its `consumer_attempts` row, which is the bookkeeping every D1 consumer pays.
 */
const bookkeepingOnly = {
  // Not a declared consumer: the runtime only writes the name into its rows.
  name: "bench-bookkeeping" as ConsumerName,
  effect: "d1",
  handle: () => [],
} satisfies D1Consumer;

const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;

/** One call of `flow`: one placement, or one consumer invocation over a full batch. */
export async function callFlow(flow: Flow, env: Env, n: number): Promise<void> {
  switch (flow) {
    case "checkout":
      return placeOrder(env, n);
    case "analytics":
      return runConsumer(analyticsConsumer, analyticsBatch(n), env, ctx);
    case "bookkeeping":
      return runConsumer(bookkeepingOnly, analyticsBatch(n), env, ctx);
    default: {
      const unhandled: never = flow;
      throw new Error(`unknown flow ${String(unhandled)}`);
    }
  }
}
