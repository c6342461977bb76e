import type { EventType } from "../../domain/events/catalog";

/**
 * A consumer's queue settings, as wrangler.toml's `[[queues.consumers]]` block states them (a test keeps the
 * two equal: test/contract/wrangler-config.test.ts). Seconds for the timeout and delay.
 * `maxRetries` is what Queues retries after the first attempt: a handler on attempt `maxRetries + 1`
 * runs for the last time before the message goes to the dead-letter queue.
 */
export interface QueueDelivery {
  maxBatchSize: number;
  maxBatchTimeout: number;
  maxRetries: number;
  retryDelay: number;
}

interface ConsumerTopology {
  queue: string;
  deadLetterQueue: string;
  producer: keyof Env;
  delivery: QueueDelivery;
}

/**
 * Every dead-letter queue is read by the dead-letter consumer (src/consumers/dead-letters.ts), which
 * stores each message in D1 for /ops/dead-letters; what it cannot store goes to one last queue that
 * nothing reads, so a broken store never loops.
 */
export const DEAD_LETTER_DELIVERY = {
  maxBatchSize: 50,
  maxBatchTimeout: 1,
  maxRetries: 10,
  retryDelay: 10,
  deadLetterQueue: "crossdock-dead-letters-unstored",
} as const satisfies QueueDelivery & { deadLetterQueue: string };

/** The attempt on which a consumer runs for the last time before its message is dead-lettered. */
export const lastAttemptOf = (consumer: ConsumerName): number => CONSUMERS[consumer].delivery.maxRetries + 1;

/**
 * Who hears what. Each consumer has its own queue (and its own dead-letter queue), so a slow or failing
 * consumer never holds back another; an event type fans out to one queue per subscribed consumer.
 * The producer binding is the only credential that can write to that queue: a route or consumer can
 * publish only through the relay, and the relay only to the queues listed here.
 */
export const CONSUMERS = {
  email: {
    queue: "crossdock-email",
    deadLetterQueue: "crossdock-email-dlq",
    producer: "EMAIL_QUEUE",
    delivery: { maxBatchSize: 10, maxBatchTimeout: 1, maxRetries: 5, retryDelay: 2 },
  },
  "user-stats": {
    queue: "crossdock-user-stats",
    deadLetterQueue: "crossdock-user-stats-dlq",
    producer: "USER_STATS_QUEUE",
    delivery: { maxBatchSize: 100, maxBatchTimeout: 1, maxRetries: 5, retryDelay: 2 },
  },
  /** Starts each order's saga (the OrderSaga Durable Object) from `order.placed`. */
  "order-saga": {
    queue: "crossdock-order-saga",
    deadLetterQueue: "crossdock-order-saga-dlq",
    producer: "ORDER_SAGA_QUEUE",
    delivery: { maxBatchSize: 10, maxBatchTimeout: 1, maxRetries: 10, retryDelay: 2 },
  },
  /** Keeps `order_views`, the buyer's order list, from the order's status facts. */
  "order-projection": {
    queue: "crossdock-order-projection",
    deadLetterQueue: "crossdock-order-projection-dlq",
    producer: "ORDER_PROJECTION_QUEUE",
    delivery: { maxBatchSize: 100, maxBatchTimeout: 1, maxRetries: 10, retryDelay: 2 },
  },
  /** Keeps `merchant_orders`, each merchant's order desk (their own lines only), from the order's status facts. */
  "merchant-orders": {
    queue: "crossdock-merchant-orders",
    deadLetterQueue: "crossdock-merchant-orders-dlq",
    producer: "MERCHANT_ORDERS_QUEUE",
    delivery: { maxBatchSize: 100, maxBatchTimeout: 1, maxRetries: 10, retryDelay: 2 },
  },
  /** Records each merchant's sale and refund entries (the settlement read model) from order facts. */
  "settlement-entries": {
    queue: "crossdock-settlement-entries",
    deadLetterQueue: "crossdock-settlement-entries-dlq",
    producer: "SETTLEMENT_ENTRIES_QUEUE",
    delivery: { maxBatchSize: 100, maxBatchTimeout: 1, maxRetries: 10, retryDelay: 2 },
  },
  /** Settles one merchant's period: ledger, payout, CSV statement, `settlement.completed`. */
  settlements: {
    queue: "crossdock-settlements",
    deadLetterQueue: "crossdock-settlements-dlq",
    producer: "SETTLEMENTS_QUEUE",
    delivery: { maxBatchSize: 5, maxBatchTimeout: 1, maxRetries: 10, retryDelay: 5 },
  },
  /** Aggregates client events (POST /v1/events) into the daily product and search metrics. */
  analytics: {
    queue: "crossdock-analytics",
    deadLetterQueue: "crossdock-analytics-dlq",
    producer: "ANALYTICS_QUEUE",
    delivery: { maxBatchSize: 50, maxBatchTimeout: 2, maxRetries: 10, retryDelay: 5 },
  },
  /** Keeps `sales_lines` (one row per confirmed order line, per merchant) for the sales report. */
  "sales-lines": {
    queue: "crossdock-sales-lines",
    deadLetterQueue: "crossdock-sales-lines-dlq",
    producer: "SALES_LINES_QUEUE",
    delivery: { maxBatchSize: 100, maxBatchTimeout: 1, maxRetries: 10, retryDelay: 2 },
  },
  /** Builds each requested report's CSV into R2 from `report.requested`. */
  reports: {
    queue: "crossdock-reports",
    deadLetterQueue: "crossdock-reports-dlq",
    producer: "REPORTS_QUEUE",
    delivery: { maxBatchSize: 1, maxBatchTimeout: 1, maxRetries: 3, retryDelay: 5 },
  },
  /** Catalog imports: plans an uploaded file, recording its chunks in groups as it reads them. */
  "catalog-imports": {
    queue: "crossdock-catalog-imports",
    deadLetterQueue: "crossdock-catalog-imports-dlq",
    producer: "CATALOG_IMPORTS_QUEUE",
    delivery: { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 5, retryDelay: 2 },
  },
  /** Validates and upserts one chunk of an import, while the planner may still be reading the file. */
  "catalog-import-chunks": {
    queue: "crossdock-catalog-import-chunks",
    deadLetterQueue: "crossdock-catalog-import-chunks-dlq",
    producer: "CATALOG_IMPORT_CHUNKS_QUEUE",
    delivery: { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 5, retryDelay: 2 },
  },
} as const satisfies Record<string, ConsumerTopology>;

export type ConsumerName = keyof typeof CONSUMERS;

/**
 * An empty list is a fact nobody consumes: it is still recorded in the outbox, for the audit trail and
 * /ops/traces (each such type is listed with its reason in test/unit/domain/events/catalog.test.ts).
 */
export const SUBSCRIPTIONS: { readonly [T in EventType]: readonly ConsumerName[] } = {
  "user.registered": ["email", "user-stats"],
  "ops.alert.raised": ["email"],
  "order.placed": ["order-saga", "order-projection", "merchant-orders"],
  // The order's status facts: each changes what the buyer's list and the merchants' desks show; two also
  // email the buyer; confirmed and refunded orders are the merchants' sales, kept twice for two readers:
  // the settlement entries (money owed, per merchant and order) and the sales lines (the sales report).
  "order.confirmed": ["order-projection", "merchant-orders", "email", "settlement-entries", "sales-lines"],
  "order.cancellation_started": ["order-projection", "merchant-orders"],
  "order.cancelled": ["order-projection", "merchant-orders", "email"],
  "order.refund_requested": ["order-projection", "merchant-orders"],
  "order.refunded": ["order-projection", "merchant-orders", "settlement-entries", "sales-lines"],
  // Settlements: the opened fact drives the settling consumer; the completed one emails the statement.
  "settlement.opened": ["settlements"],
  "settlement.completed": ["email"],
  // Reports: a request starts the build; a generated report is emailed to its owner.
  "report.requested": ["reports"],
  "report.generated": ["email"],
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
  // POST /v1/events: a batch of client events per fact.
  "analytics.events_received": ["analytics"],
  "catalog.import_uploaded": ["catalog-imports"],
  // Chunks have their own queue: on the planner's, they would wait for it to read the whole file.
  "catalog.import_chunk_staged": ["catalog-import-chunks"],
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
