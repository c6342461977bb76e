import { env } from "cloudflare:workers";
import { vi } from "vitest";
import { getDb } from "../../src/platform/db/client";
import { createEnvelope, type EventEnvelope } from "../../src/platform/events/envelope";
import { newEvent } from "../../src/platform/events/new-event";
import { outboxStatements } from "../../src/platform/events/outbox";
import type { EventData, EventType } from "../../src/platform/events/registry";
import type { CurrentEvent } from "../../src/platform/events/upcast";
import { newId } from "../../src/platform/ids";

const causation = () => ({
  correlationId: `req-${crypto.randomUUID()}`,
  causationId: "test",
  traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
});

/** A current-version event, as a producer would record it. */
export function anEvent<T extends EventType>(type: T, data: EventData<T>, now = Date.now()): CurrentEvent<T> {
  return newEvent(type, "subject-1", data, causation(), "/crossdock/api", now);
}

/** A `user.registered` v2 event for a fresh address; `at` sets the event time (and so its stats day). */
export function aRegistration(overrides: Partial<EventData<"user.registered">> = {}, at = Date.now()) {
  const userId = newId("usr", at);
  return anEvent(
    "user.registered",
    { userId, email: `${userId}@test.crossdock`, name: "Ada", role: "buyer", ...overrides },
    at,
  );
}

/** An envelope at an explicit (possibly old) version, with data as that version had it. */
export function anEnvelopeAt(type: string, version: number, data: unknown, now = Date.now()): EventEnvelope {
  return createEnvelope({
    id: newId("evt", now),
    time: new Date(now),
    source: "/crossdock/api",
    type,
    version,
    subject: "subject-1",
    data,
    causation: causation(),
  });
}

/** Writes an event to the outbox as a producer's batch would, with its own `createdAt`, and does not relay it. */
export async function insertOutboxRow(event: EventEnvelope, createdAt = Date.now()) {
  const db = getDb(env.DB);
  const [first, ...rest] = outboxStatements(db, [event], undefined, createdAt);
  await db.batch([first!, ...rest]);
}

/** Polls until `probe` returns something other than null/undefined (D1 written by a real queue consumer). */
export const eventually = <T>(probe: () => Promise<T | null | undefined>, timeout = 15_000) =>
  vi.waitUntil(async () => (await probe()) ?? false, { timeout, interval: 100 }) as Promise<T>;

/** A delivery's attempts as the runtime recorded them, oldest first (one consumer's, when named). */
export async function attemptsOf(eventId: string, consumer?: string) {
  const { results } = await env.DB.prepare(
    "SELECT attempt, outcome, error FROM consumer_attempts WHERE event_id = ?1 AND (?2 IS NULL OR consumer = ?2) ORDER BY id",
  )
    .bind(eventId, consumer ?? null)
    .all<{ attempt: number; outcome: string; error: string | null }>();
  return results;
}

export interface MailboxRow {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  template: string;
  event_id: string;
  sent_at: number;
}

export async function mailboxRows(where: { to?: string; eventId?: string }): Promise<MailboxRow[]> {
  const { results } = await env.DB.prepare(
    'SELECT * FROM mailbox WHERE (?1 IS NULL OR "to" = ?1) AND (?2 IS NULL OR event_id = ?2) ORDER BY sent_at',
  )
    .bind(where.to ?? null, where.eventId ?? null)
    .all<MailboxRow>();
  return results;
}

export async function statsCount(day: string, role: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count FROM signup_stats_daily WHERE day = ? AND role = ?")
    .bind(day, role)
    .first<{ count: number }>();
  return row?.count ?? 0;
}
