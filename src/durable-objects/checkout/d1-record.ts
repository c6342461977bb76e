import { and, eq, lt } from "drizzle-orm";
import type { OrderSagaState, PublishedEvent } from "../../flows/checkout";
import { orders } from "../../flows/checkout/schema";
import type { Db } from "../../platform/db/client";
import type { EventEnvelope } from "../../platform/events/envelope";
import { newEvent } from "../../platform/events/new-event";
import { outboxStatements } from "../../platform/events/outbox";
import { formatTraceparent, randomHex } from "../../platform/observability/traceparent";
import { orderView } from "./view";

export const SAGA_SOURCE = "/crossdock/order-saga";

/**
 * Where the saga's facts sit in the trace: the correlation and traceparent of the `order.placed`
 * envelope that started it, and the last fact recorded, which causes the next.
 */
export interface SagaTrace {
  correlationId: string;
  traceparent: string;
  lastEventId: string;
}

/** What started the saga, from the `order.placed` envelope (the orders API's consumer passes it). */
export interface SagaCause {
  id: string;
  correlationid: string;
  traceparent: string;
}

export function traceFrom(orderId: string, cause: SagaCause | undefined): SagaTrace {
  if (cause)
    return { correlationId: cause.correlationid, traceparent: cause.traceparent, lastEventId: cause.id };
  const traceparent = formatTraceparent({
    traceId: randomHex(16),
    spanId: randomHex(8),
    parentSpanId: null,
    flags: "01",
  });
  return { correlationId: orderId, traceparent, lastEventId: orderId };
}

/**
 * CloudEvents for the facts a transition published, each caused by the one before it (the first by the
 * saga's last fact, or the `order.placed` envelope). `order.placed` itself is skipped: the orders API
 * wrote it to the outbox with the order row, and the saga only learns of it.
 */
export function envelopesFor(
  orderId: string,
  events: readonly PublishedEvent[],
  trace: SagaTrace,
): { envelopes: EventEnvelope[]; trace: SagaTrace } {
  const envelopes: EventEnvelope[] = [];
  let lastEventId = trace.lastEventId;
  for (const e of events) {
    if (e.type === "order.placed") continue;
    const causation = {
      correlationId: trace.correlationId,
      causationId: lastEventId,
      traceparent: trace.traceparent,
    };
    const envelope = newEvent(e.type, orderId, e.data, causation, SAGA_SOURCE, e.at);
    envelopes.push(envelope);
    lastEventId = envelope.id;
  }
  return { envelopes, trace: { ...trace, lastEventId } };
}

/**
 * The order row at `state`, and the facts not yet in the outbox, as one batch: both or neither. Safe to
 * repeat: the row is only moved forward (`version <`), and an outbox row already written is skipped.
 */
export async function writeOrderRecord(db: Db, state: OrderSagaState, envelopes: readonly EventEnvelope[]) {
  const view = orderView(state);
  const update = db
    .update(orders)
    .set({
      status: view.status,
      statusMessage: view.statusMessage,
      version: view.version,
      cancelReason: view.cancelReason,
      steps: view.steps,
      updatedAt: view.updatedAt,
    })
    .where(and(eq(orders.id, state.orderId), lt(orders.version, view.version)));
  const outboxRows = outboxStatements(db, envelopes).map((s) => s.onConflictDoNothing());
  await db.batch([update, ...outboxRows]);
}
