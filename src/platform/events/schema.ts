/**
 * Tables of the event backbone: the transactional outbox, consumer bookkeeping (dedup rows, attempts),
 * dead letters, alerts, the local mailbox, the request records that traces start from and the
 * counters rolled up from pruned rows.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Events written in the same D1 batch as the state change that caused them. A row is an event that
 * will be delivered: the relay publishes it right after the commit, the sweeper if the relay did not.
 */
export const outbox = sqliteTable(
  "outbox",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    subject: text("subject").notNull(),
    correlationId: text("correlation_id").notNull(),
    envelope: text("envelope").notNull(),
    createdAt: integer("created_at").notNull(),
    publishedAt: integer("published_at"),
    publishAttempts: integer("publish_attempts").notNull().default(0),
    lastError: text("last_error"),
    /**
     * When every consumer subscribed to the type had acknowledged the fact (or an operator discarded
     * its dead letter): set by the delivery reconciler. Only settled rows are ever pruned.
     */
    settledAt: integer("settled_at"),
  },
  (t) => [
    // The sweeper's scan: only unpublished rows, oldest first, stays small however large the table grows.
    index("outbox_unpublished_idx").on(t.createdAt).where(sql`published_at IS NULL`),
    // The reconciler's scan: facts not yet proven delivered, oldest published first.
    index("outbox_unsettled_idx").on(t.publishedAt, t.id).where(sql`settled_at IS NULL`),
    index("outbox_published_idx").on(t.publishedAt),
    index("outbox_correlation_idx").on(t.correlationId),
    // An aggregate's facts by type, e.g. a stuck order's `order.placed`.
    index("outbox_subject_type_idx").on(t.subject, t.type),
  ],
);

/** One row per (consumer, event) whose effect is done: the dedup key for effects that land in D1. */
export const processedEvents = sqliteTable(
  "processed_events",
  {
    consumer: text("consumer").notNull(),
    eventId: text("event_id").notNull(),
    processedAt: integer("processed_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.consumer, t.eventId] }),
    index("processed_events_at_idx").on(t.processedAt),
  ],
);

/**
 * `injected`: the attempt failed because a fault injected for a game day made it fail
 * (src/platform/faults; its `error` starts with `injected:`). The message is retried exactly as after a
 * `retried` attempt; metrics count it apart so an injected failure is never taken for a real one.
 */
export const ATTEMPT_OUTCOMES = ["acked", "retried", "dead-lettered", "duplicate", "injected"] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];
/** Outcomes after which the queue retries the message: what the delivery ledger reads as a failed attempt. */
export const RETRIED_OUTCOMES: readonly AttemptOutcome[] = ["retried", "injected"];

/** Every delivery a consumer handled: the source of metrics and of the consumer steps in a trace. */
export const consumerAttempts = sqliteTable(
  "consumer_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    consumer: text("consumer").notNull(),
    attempt: integer("attempt").notNull(),
    outcome: text("outcome", { enum: ATTEMPT_OUTCOMES }).notNull(),
    correlationId: text("correlation_id").notNull(),
    startedAt: integer("started_at").notNull(),
    durationMs: integer("duration_ms").notNull(),
    /** Consume time minus event time. */
    lagMs: integer("lag_ms").notNull(),
    error: text("error"),
  },
  (t) => [
    index("consumer_attempts_correlation_idx").on(t.correlationId),
    index("consumer_attempts_started_idx").on(t.startedAt),
    // A delivery's history (the reconciler's "when was it last tried", the DLQ consumer's failures).
    index("consumer_attempts_event_idx").on(t.eventId, t.consumer),
  ],
);

/**
 * `discarded`: an operator decided the delivery will never be made; the row stays as the record of that
 * decision, and the delivery counts as settled.
 */
export const DEAD_LETTER_STATUSES = ["dead", "redriven", "discarded"] as const;

export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: text("id").primaryKey(),
    originQueue: text("origin_queue").notNull(),
    consumer: text("consumer").notNull(),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    envelope: text("envelope").notNull(),
    lastError: text("last_error").notNull(),
    attempts: integer("attempts").notNull(),
    firstFailedAt: integer("first_failed_at").notNull(),
    lastFailedAt: integer("last_failed_at").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    status: text("status", { enum: DEAD_LETTER_STATUSES }).notNull(),
    redrivenAt: integer("redriven_at"),
    discardedAt: integer("discarded_at"),
  },
  (t) => [
    uniqueIndex("dead_letters_consumer_event_idx").on(t.consumer, t.eventId),
    index("dead_letters_status_idx").on(t.status, t.firstFailedAt),
  ],
);

/**
 * `queued`: sent or re-sent, not yet tried; `in-progress`: the consumer is working on it right now and
 * says so (a heartbeat while a handler runs past half the grace period); `retrying`: its last attempt
 * failed; `dead-lettered`: out of retries, waiting for an operator.
 */
export const DELIVERY_STATES = ["queued", "in-progress", "retrying", "dead-lettered"] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/**
 * Deliveries outstanding: a published fact that a subscribed consumer has not acknowledged within the
 * grace period (DELIVERY_GRACE_SECONDS). Written only by the delivery reconciler, which re-sends them
 * to that consumer's queue with backoff and deletes the row once the consumer's `processed_events` row
 * (its acknowledgement) exists or the dead letter is discarded. Nothing here is on the hot path.
 */
export const deliveries = sqliteTable(
  "deliveries",
  {
    /** `<consumer>/<event id>`: one row per delivery, a single key for keyset pages. */
    id: text("id").primaryKey(),
    consumer: text("consumer").notNull(),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    correlationId: text("correlation_id").notNull(),
    publishedAt: integer("published_at").notNull(),
    state: text("state", { enum: DELIVERY_STATES }).notNull(),
    /** Re-sends by the reconciler so far (the relay's first send not counted). */
    resends: integer("resends").notNull().default(0),
    lastResentAt: integer("last_resent_at"),
    /** The consumer's last error, when it tried and failed. */
    lastError: text("last_error"),
    /** The runtime's last word that a handler is still working on it (long imports, reports). */
    heartbeatAt: integer("heartbeat_at"),
    checkedAt: integer("checked_at").notNull(),
  },
  (t) => [
    index("deliveries_consumer_idx").on(t.consumer, t.publishedAt, t.id),
    index("deliveries_published_idx").on(t.publishedAt, t.id),
    index("deliveries_event_idx").on(t.eventId),
  ],
);

export const ALERT_STATES = ["firing", "resolved"] as const;

export const alerts = sqliteTable(
  "alerts",
  {
    id: text("id").primaryKey(),
    rule: text("rule").notNull(),
    metric: text("metric").notNull(),
    value: integer("value").notNull(),
    threshold: integer("threshold").notNull(),
    message: text("message").notNull(),
    state: text("state", { enum: ALERT_STATES }).notNull(),
    raisedAt: integer("raised_at").notNull(),
    resolvedAt: integer("resolved_at"),
  },
  (t) => [
    index("alerts_state_idx").on(t.state, t.raisedAt),
    // At most one firing alert per rule, even when two evaluations race.
    uniqueIndex("alerts_one_firing_per_rule_idx").on(t.rule).where(sql`state = 'firing'`),
  ],
);

/** Emails "sent" by the local mailbox provider, readable at GET /ops/mailbox. */
export const mailbox = sqliteTable(
  "mailbox",
  {
    id: text("id").primaryKey(),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    template: text("template").notNull(),
    eventId: text("event_id").notNull(),
    sentAt: integer("sent_at").notNull(),
  },
  (t) => [index("mailbox_sent_idx").on(t.sentAt)],
);

/**
 * The request that started a chain of events, written in the same batch as its events so a trace
 * always has its root. Requests that cause no event are not recorded here (their log line suffices).
 */
export const requestRecords = sqliteTable("request_records", {
  requestId: text("request_id").primaryKey(),
  method: text("method").notNull(),
  path: text("path").notNull(),
  userId: text("user_id"),
  traceId: text("trace_id").notNull(),
  at: integer("at").notNull(),
});

/**
 * What pruning deleted, counted: per metric family and label set, the total over every row pruned so
 * far. A counter on /ops/metrics is its rollup plus the rows still in their table, so it never goes
 * down when a prune runs. `labels` is canonical JSON (see `labelsJson`), so one label set is one row.
 */
export const metricRollups = sqliteTable(
  "metric_rollups",
  {
    family: text("family").notNull(),
    labels: text("labels").notNull(),
    value: integer("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.family, t.labels] })],
);
