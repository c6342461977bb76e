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
  "order-saga": {
    queue: "crossdock-order-saga",
    deadLetterQueue: "crossdock-order-saga-dlq",
    producer: "ORDER_SAGA_QUEUE",
  },
  // The order list read model (GET /v1/orders). Its consumer lands with the orders API; until then
  // nothing is subscribed to it (see PENDING_CONSUMERS in src/consumers/index.ts).
  "order-projection": {
    queue: "crossdock-order-projection",
    deadLetterQueue: "crossdock-order-projection-dlq",
    producer: "ORDER_PROJECTION_QUEUE",
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
  "order.placed": ["order-saga"],
  "order.confirmed": ["email"],
  "order.cancelled": ["email"],
  "order.cancellation_started": [],
  "order.refund_requested": [],
  "order.refunded": [],
  "order.saga_stalled": [],
  "inventory.reserved": [],
  "inventory.released": [],
  "inventory.restocked": [],
  "payment.authorized": [],
  "payment.captured": [],
  "payment.capture_failed": [],
  "payment.voided": [],
  "payment.refunded": [],
};

export function consumerForQueue(queue: string): ConsumerName | undefined {
  return (Object.keys(CONSUMERS) as ConsumerName[]).find((name) => CONSUMERS[name].queue === queue);
}

/** The consumer whose dead letters arrive on this queue. */
export function consumerForDeadLetterQueue(queue: string): ConsumerName | undefined {
  return (Object.keys(CONSUMERS) as ConsumerName[]).find((name) => CONSUMERS[name].deadLetterQueue === queue);
}
