/**
 * The checkout benchmark's two floors, as one bench-only worker in crossdock's Miniflare, bound to its
 * D1, queues and Durable Objects (see wrangler.toml here):
 *
 * - `POST /place {userId, quoteId, paymentMethod}`: the least a placement can do. One read (the caller's
 *   unexpired quote with each line's merchant), then one batch: the order row and its `order.placed`
 *   outbox row. No session, no Idempotency-Key, no relay: the outbox row is written already published and
 *   settled, so neither the relay nor the delivery reconciler sends it and no saga starts for it (the
 *   pipeline floor runs these orders instead).
 * - `POST /pipeline {orderIds}`: the same saga steps for those orders, back to back, with no queue, no
 *   Durable Object and no alarm: the real `decide`/`evolve`, `runStep` (same D1 batches, same sandbox
 *   shards) and, after each transition, the same `writeOrderRecord` and relay as the saga. Answers each
 *   order's timings.
 */
import "../../src/flows";
import { eq } from "drizzle-orm";
import { envelopesFor, traceFrom, writeOrderRecord } from "../../src/durable-objects/checkout/d1-record";
import { orderDetails } from "../../src/durable-objects/checkout/order-saga-client";
import {
  DEFAULT_SAGA_POLICY,
  decide,
  evolveAll,
  isPublished,
  isTerminal,
  type OrderSagaState,
  type SagaMessage,
  type StepCommand,
} from "../../src/flows/checkout";
import { runStep } from "../../src/flows/checkout/run-step";
import { orders } from "../../src/flows/checkout/schema";
import type { QuoteRow } from "../../src/flows/pricing/schema";
import { getDb } from "../../src/platform/db/client";
import { newEvent } from "../../src/platform/events/new-event";
import { publishNow } from "../../src/platform/events/publish";
import { outbox } from "../../src/platform/events/schema";
import { newId } from "../../src/platform/ids";
import { createLogger } from "../../src/platform/observability/logger";
import { newOrder } from "../../src/routes/checkout/orders/order-record";

const QUOTE_WITH_MERCHANTS = `
  SELECT q.*, (
    SELECT json_group_object(p.id, p.merchant_id) FROM products p
    WHERE p.id IN (SELECT json_extract(l.value, '$.productId') FROM json_each(q.lines) l)
  ) AS merchants
  FROM quotes q WHERE q.id = ? AND q.user_id = ?`;

interface QuoteSql {
  id: string;
  user_id: string;
  currency: string;
  lines: string;
  subtotal_minor: number;
  discount_minor: number;
  shipping_minor: number;
  tax_minor: number;
  total_minor: number;
  expires_at: number;
  merchants: string;
}

async function place(env: Env, body: { userId: string; quoteId: string; paymentMethod: string }) {
  const now = Date.now();
  const q = await env.DB.prepare(QUOTE_WITH_MERCHANTS).bind(body.quoteId, body.userId).first<QuoteSql>();
  if (!q) return Response.json({ error: "no such quote" }, { status: 404 });
  if (q.expires_at <= now) return Response.json({ error: "quote expired" }, { status: 410 });
  const quote = {
    id: q.id,
    currency: q.currency,
    lines: JSON.parse(q.lines),
    subtotalMinor: q.subtotal_minor,
    discountMinor: q.discount_minor,
    shippingMinor: q.shipping_minor,
    taxMinor: q.tax_minor,
    totalMinor: q.total_minor,
  } as QuoteRow;
  const merchantOf = new Map(Object.entries(JSON.parse(q.merchants) as Record<string, string>));
  const { row, details } = newOrder(quote, merchantOf, {
    id: newId("ord", now),
    buyerId: body.userId,
    paymentMethod: body.paymentMethod,
    now,
  });
  const causation = {
    correlationId: row.id,
    causationId: row.id,
    traceparent: traceFrom(row.id, undefined).traceparent,
  };
  const placed = newEvent("order.placed", row.id, details, causation, "/crossdock/api", now);
  const db = getDb(env.DB);
  await db.batch([
    db.insert(orders).values(row),
    db.insert(outbox).values({
      id: placed.id,
      type: placed.type,
      subject: placed.subject,
      correlationId: placed.correlationid,
      envelope: JSON.stringify(placed),
      createdAt: now,
      // Published and settled at once: an unsettled published row is one the delivery reconciler owes
      // to every subscriber, and it would "re-send" it, starting a real saga for a floor order.
      publishedAt: now,
      settledAt: now,
    }),
  ]);
  return Response.json({ id: row.id }, { status: 202 });
}

/** One order through the pipeline floor (bench/checkout.ts reads the same shape). */
export interface FloorOrder {
  orderId: string;
  startedAt: number;
  terminalAt: number;
  status: string;
  /** Effect time per step run (runStep alone), by step name. */
  effectMs: Record<string, number>;
  /** Time in writeOrderRecord, all transitions together. */
  writeMs: number;
}

/** One order's saga as a plain loop: decide, evolve, write D1 and relay, run the next command. */
async function runOrder(
  env: Env,
  orderId: string,
  log: ReturnType<typeof createLogger>,
): Promise<FloorOrder> {
  const startedAt = Date.now();
  const db = getDb(env.DB);
  const row = await db.select().from(orders).where(eq(orders.id, orderId)).get();
  if (!row) throw new Error(`no order ${orderId}`);
  let state: OrderSagaState | null = null;
  let trace = traceFrom(orderId, undefined);
  let message: SagaMessage = { type: "OrderPlaced", order: orderDetails(row) };
  const effectMs: Record<string, number> = {};
  let writeMs = 0;
  for (let i = 0; i < 50; i++) {
    const ctx = { now: Date.now(), random: Math.random, policy: DEFAULT_SAGA_POLICY };
    const decision = decide(state, message, ctx);
    if (decision.rejected) throw new Error(`rejected: ${decision.rejected.reason}`);
    state = evolveAll(state, decision.events);
    if (!state) throw new Error("no state");
    const published = envelopesFor(orderId, decision.events.filter(isPublished), trace);
    trace = published.trace;
    const w0 = Date.now();
    await writeOrderRecord(db, state, published.envelopes);
    writeMs += Date.now() - w0;
    if (published.envelopes.length > 0) await publishNow(env, published.envelopes, log);
    const command = decision.commands.filter((c): c is StepCommand => c.type !== "ScheduleRetry").at(-1);
    if (!command || isTerminal(state)) break;
    const e0 = Date.now();
    message = await runStep(env, command, state, e0);
    effectMs[command.step] = (effectMs[command.step] ?? 0) + (Date.now() - e0);
  }
  return { orderId, startedAt, terminalAt: Date.now(), status: state?.status ?? "none", effectMs, writeMs };
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (request.method === "POST" && path === "/place") return place(env, await request.json());
    if (request.method === "POST" && path === "/pipeline") {
      const { orderIds } = (await request.json()) as { orderIds: string[] };
      const log = createLogger({ component: "checkout-floor" });
      const results = await Promise.all(orderIds.map((id) => runOrder(env, id, log)));
      return Response.json({ results });
    }
    return new Response("not found", { status: 404 });
  },
} satisfies ExportedHandler<Env>;
