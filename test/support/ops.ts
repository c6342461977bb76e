import { env } from "cloudflare:workers";
import { getDb } from "../../src/platform/db/client";
import { createEnvelope, type EventEnvelope } from "../../src/platform/events/envelope";
import {
  alerts,
  consumerAttempts,
  type DeliveryState,
  deadLetters,
  deliveries,
  mailbox,
  outbox,
  requestRecords,
} from "../../src/platform/events/schema";
import { newId } from "../../src/platform/ids";

type DeadLetterRow = typeof deadLetters.$inferInsert;
type AttemptRow = typeof consumerAttempts.$inferInsert;

/**
 * A `user.registered` envelope as version 1 published it (`displayName`, no role): what a dead letter
 * written before v2 holds.
 */
export function userRegisteredV1(overrides: { id?: string; correlationId?: string; time?: number } = {}) {
  const userId = newId("usr");
  return createEnvelope({
    id: overrides.id ?? newId("evt"),
    time: new Date(overrides.time ?? Date.now()),
    source: "/crossdock/api",
    type: "user.registered",
    version: 1,
    subject: userId,
    data: { userId, email: `${userId}@test.crossdock`, displayName: "Ada" },
    causation: {
      correlationId: overrides.correlationId ?? "req-test",
      causationId: overrides.correlationId ?? "req-test",
      traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    },
  });
}

/**
 * A later `user.registered` (v2) in the same chain as `cause`, caused by it, as a consumer would record
 * it: the second fact of a trace.
 */
export function followUpOf(cause: EventEnvelope, at: number, id = newId("evt", at)): EventEnvelope {
  return createEnvelope({
    id,
    time: new Date(at),
    source: "/crossdock/consumers",
    type: "user.registered",
    version: 2,
    subject: cause.subject,
    data: { userId: "usr_ada", email: "ada@example.com", name: "Ada", role: "buyer" },
    causation: { correlationId: cause.correlationid, causationId: cause.id, traceparent: cause.traceparent },
  });
}

/**
 * Inserts a dead letter straight into D1. The envelope defaults to a v1 `user.registered` that died in
 * the email consumer; a string is stored as is (a poison message).
 *
 * @example
 * const dl = await insertDeadLetter({ firstFailedAt: Date.now() - 7_200_000 });
 */
export async function insertDeadLetter(
  overrides: Partial<Omit<DeadLetterRow, "envelope">> & { envelope?: EventEnvelope | string } = {},
): Promise<DeadLetterRow & { envelope: string }> {
  const now = Date.now();
  const { envelope: given, ...rest } = overrides;
  const envelope = given ?? userRegisteredV1();
  const text = typeof envelope === "string" ? envelope : JSON.stringify(envelope);
  const row = {
    id: newId("dlq", now),
    originQueue: "crossdock-email",
    consumer: "email",
    eventId: typeof envelope === "string" ? `unidentified-${newId("msg")}` : envelope.id,
    eventType: typeof envelope === "string" ? "unknown" : envelope.type,
    lastError: "provider said 500",
    attempts: 6,
    firstFailedAt: now,
    lastFailedAt: now,
    sizeBytes: new TextEncoder().encode(text).byteLength,
    status: "dead" as const,
    redrivenAt: null,
    ...rest,
    envelope: text,
  };
  await getDb(env.DB).insert(deadLetters).values(row);
  return row;
}

/** Inserts one consumer attempt record (as the runtime writes after each delivery). */
export async function insertAttempt(overrides: Partial<AttemptRow> = {}): Promise<AttemptRow> {
  const row: AttemptRow = {
    eventId: newId("evt"),
    eventType: "user.registered",
    consumer: "email",
    attempt: 1,
    outcome: "acked",
    correlationId: "req-test",
    startedAt: Date.now(),
    durationMs: 5,
    lagMs: 20,
    error: null,
    ...overrides,
  };
  await getDb(env.DB).insert(consumerAttempts).values(row);
  return row;
}

/** Inserts an event into the outbox, published unless `publishedAt` is null. */
export async function insertOutboxEvent(
  envelope: EventEnvelope,
  at: { createdAt?: number; publishedAt?: number | null; settledAt?: number | null } = {},
) {
  const createdAt = at.createdAt ?? Date.parse(envelope.time);
  const publishedAt = at.publishedAt === undefined ? createdAt + 5 : at.publishedAt;
  await getDb(env.DB)
    .insert(outbox)
    .values({
      id: envelope.id,
      type: envelope.type,
      subject: envelope.subject,
      correlationId: envelope.correlationid,
      envelope: JSON.stringify(envelope),
      createdAt,
      publishedAt,
      // Delivered to every subscriber unless the test says otherwise.
      settledAt: at.settledAt === undefined ? publishedAt : at.settledAt,
    });
}

export async function insertRequestRecord(requestId: string, at: number, userId: string | null = null) {
  await getDb(env.DB).insert(requestRecords).values({
    requestId,
    method: "POST",
    path: "/v1/auth/signup",
    userId,
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    at,
  });
}

export async function insertMail(overrides: Partial<typeof mailbox.$inferInsert> = {}) {
  const row = {
    id: newId("msg"),
    to: "ada@example.com",
    subject: "Welcome to Crossdock",
    text: "Hello Ada",
    html: "<p>Hello Ada</p>",
    template: "welcome",
    eventId: newId("evt"),
    sentAt: Date.now(),
    ...overrides,
  };
  await getDb(env.DB).insert(mailbox).values(row);
  return row;
}

export async function insertAlert(overrides: Partial<typeof alerts.$inferInsert> = {}) {
  const row = {
    id: newId("alr"),
    rule: `test-rule-${newId("r")}`,
    metric: "dead_letters.count",
    value: 5,
    threshold: 1,
    message: "dead_letters.count is 5, above the threshold of 1.",
    state: "resolved" as const,
    raisedAt: Date.now(),
    resolvedAt: Date.now(),
    ...overrides,
  };
  await getDb(env.DB).insert(alerts).values(row);
  return row;
}

/** An outstanding delivery as the delivery reconciler records it. */
export async function insertDelivery(consumer: string, state: DeliveryState, publishedAt: number) {
  const eventId = `evt_${crypto.randomUUID()}`;
  await getDb(env.DB)
    .insert(deliveries)
    .values({
      id: `${consumer}/${eventId}`,
      consumer,
      eventId,
      eventType: "analytics.events_received",
      correlationId: "req-test",
      publishedAt,
      state,
      checkedAt: publishedAt,
    });
}

/** Empties the ops tables (and the other rows alert rules count), for test files whose assertions count rows. */
export async function clearOpsTables() {
  await env.DB.batch(
    [
      "jobs",
      "settlements",
      "dead_letters",
      "consumer_attempts",
      "outbox",
      "metric_rollups",
      "alerts",
      "mailbox",
      "request_records",
      "deliveries",
      "processed_events",
      "login_lockouts",
      "gameday_runs",
      "audit_log",
    ].map((t) => env.DB.prepare(`DELETE FROM ${t}`)),
  );
}
