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
  },
  (t) => [
    // The sweeper's scan: only unpublished rows, oldest first, stays small however large the table grows.
    index("outbox_unpublished_idx").on(t.createdAt).where(sql`published_at IS NULL`),
    index("outbox_published_idx").on(t.publishedAt),
    index("outbox_correlation_idx").on(t.correlationId),
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

export const ATTEMPT_OUTCOMES = ["acked", "retried", "dead-lettered", "duplicate"] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

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
  ],
);

export const DEAD_LETTER_STATUSES = ["dead", "redriven"] as const;

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
  },
  (t) => [
    uniqueIndex("dead_letters_consumer_event_idx").on(t.consumer, t.eventId),
    index("dead_letters_status_idx").on(t.status, t.firstFailedAt),
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
