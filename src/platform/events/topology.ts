import type { EventType } from "../../domain/events/catalog";

/**
 * Who hears what. Each consumer has its own queue (and its own dead-letter queue), so a slow or failing
 * consumer never holds back another; an event type fans out to one queue per subscribed consumer.
 * The producer binding is the only credential that can write to that queue: a route or consumer can
 * publish only through the relay, and the relay only to the queues listed here.
 */
export const CONSUMERS = {
  email: { queue: "crossdock-email", deadLetterQueue: "crossdock-email-dlq", producer: "EMAIL_QUEUE" },
  "user-stats": {
    queue: "crossdock-user-stats",
    deadLetterQueue: "crossdock-user-stats-dlq",
    producer: "USER_STATS_QUEUE",
  },
  /** Starts each order's saga (the OrderSaga Durable Object) from `order.placed`. */
  "order-saga": {
    queue: "crossdock-order-saga",
    deadLetterQueue: "crossdock-order-saga-dlq",
    producer: "ORDER_SAGA_QUEUE",
  },
  /** Keeps `order_views`, the buyer's order list, from the order's status facts. */
  "order-projection": {
    queue: "crossdock-order-projection",
    deadLetterQueue: "crossdock-order-projection-dlq",
    producer: "ORDER_PROJECTION_QUEUE",
  },
  /** Catalog imports: splits an uploaded file into chunks, then validates and upserts each chunk. */
  "catalog-imports": {
    queue: "crossdock-catalog-imports",
    deadLetterQueue: "crossdock-catalog-imports-dlq",
    producer: "CATALOG_IMPORTS_QUEUE",
  },
} as const satisfies Record<string, { queue: string; deadLetterQueue: string; producer: keyof Env }>;

export type ConsumerName = keyof typeof CONSUMERS;

/**
 * An empty list is a fact nobody consumes: it is still recorded in the outbox, for the audit trail and
 * /ops/traces (each such type is listed with its reason in test/unit/domain/events/catalog.test.ts).
 */
export const SUBSCRIPTIONS: { readonly [T in EventType]: readonly ConsumerName[] } = {
  "user.registered": ["email", "user-stats"],
  "ops.alert.raised": ["email"],
  "order.placed": ["order-saga", "order-projection"],
  // The order's status facts: each changes what the buyer's list shows; two also email the buyer.
  "order.confirmed": ["order-projection", "email"],
  "order.cancellation_started": ["order-projection"],
  "order.cancelled": ["order-projection", "email"],
  "order.refund_requested": ["order-projection"],
  "order.refunded": ["order-projection"],
  // Step facts: recorded for the audit trail and traces; nothing consumes them yet.
  "inventory.reserved": [],
  "payment.authorized": [],
  "payment.captured": [],
  "payment.capture_failed": [],
  "inventory.released": [],
  "payment.voided": [],
  "payment.refunded": [],
  "inventory.restocked": [],
  "order.saga_stalled": [],
  "catalog.import_uploaded": ["catalog-imports"],
  "catalog.import_chunk_staged": ["catalog-imports"],
  // Nothing consumes it yet (search reads D1 directly); recorded for the audit trail and traces.
  "catalog.imported": [],
};

export function consumerForQueue(queue: string): ConsumerName | undefined {
  return (Object.keys(CONSUMERS) as ConsumerName[]).find((name) => CONSUMERS[name].queue === queue);
}

/** The consumer whose dead letters arrive on this queue. */
export function consumerForDeadLetterQueue(queue: string): ConsumerName | undefined {
  return (Object.keys(CONSUMERS) as ConsumerName[]).find((name) => CONSUMERS[name].deadLetterQueue === queue);
}
