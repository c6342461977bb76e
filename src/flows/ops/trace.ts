/**
 * A trace, read from D1: the request that started a chain (its `request_records` row), every fact
 * recorded under its correlation id (the outbox) and every consumer attempt at those facts, in the order
 * they happened. One reader for `GET /ops/traces/:id` (JSON) and the console's waterfall (HTML).
 */
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../platform/db/client";
import {
  type AttemptOutcome,
  consumerAttempts,
  deadLetters,
  outbox,
  requestRecords,
} from "../../platform/events/schema";
import { sortTimeline } from "./timeline";

/** Times are epoch ms; the routes choose how to show them. */
export interface TracedRequest {
  requestId: string;
  method: string;
  path: string;
  userId: string | null;
  traceId: string;
  at: number;
}

export interface TracedEvent {
  id: string;
  type: string;
  subject: string;
  /** The request or event that caused it (the envelope's `causationid`). */
  causationId: string | null;
  createdAt: number;
  publishedAt: number | null;
}

export interface TracedAttempt {
  consumer: string;
  eventId: string;
  eventType: string;
  attempt: number;
  outcome: AttemptOutcome;
  durationMs: number;
  lagMs: number;
  error: string | null;
  /** On a dead-lettered attempt: the dead letter to inspect or redrive. */
  deadLetterId: string | null;
}

export type TraceEntry =
  | ({ kind: "request"; at: number } & TracedRequest)
  | ({ kind: "event"; at: number } & TracedEvent)
  | ({ kind: "attempt"; at: number; seq: number } & TracedAttempt);

export interface Trace {
  correlationId: string;
  /** Null when no request started the chain (an alert's events use the alert id). */
  request: TracedRequest | null;
  timeline: TraceEntry[];
}

function causationOf(envelope: string): string | null {
  try {
    const id = (JSON.parse(envelope) as { causationid?: unknown }).causationid;
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}

/**
 * Everything recorded under a correlation id (a request id, or an alert id), or null when nothing is.
 *
 * @example
 * const trace = await readTrace(getDb(env.DB), requestId);
 * if (!trace) throw new NotFoundError("trace for correlation id", requestId);
 */
export async function readTrace(db: Db, correlationId: string): Promise<Trace | null> {
  const [requests, events, attempts] = await db.batch([
    db.select().from(requestRecords).where(eq(requestRecords.requestId, correlationId)),
    db.select().from(outbox).where(eq(outbox.correlationId, correlationId)),
    db
      // Aliased: D1 batches return rows keyed by column name, and both tables have an `id`.
      .select({
        a: consumerAttempts,
        deadLetterId: sql<string | null>`${deadLetters.id}`.as("dead_letter_id"),
      })
      .from(consumerAttempts)
      .leftJoin(
        deadLetters,
        and(
          eq(deadLetters.consumer, consumerAttempts.consumer),
          eq(deadLetters.eventId, consumerAttempts.eventId),
        ),
      )
      .where(eq(consumerAttempts.correlationId, correlationId))
      .orderBy(asc(consumerAttempts.id)),
  ]);
  const row = requests[0];
  if (!row && events.length === 0 && attempts.length === 0) return null;

  const request: TracedRequest | null = row
    ? {
        requestId: row.requestId,
        method: row.method,
        path: row.path,
        userId: row.userId,
        traceId: row.traceId,
        at: row.at,
      }
    : null;
  const timeline = sortTimeline<TraceEntry>([
    ...(request ? [{ kind: "request" as const, ...request }] : []),
    ...events.map((e) => ({
      kind: "event" as const,
      at: e.createdAt,
      id: e.id,
      type: e.type,
      subject: e.subject,
      causationId: causationOf(e.envelope),
      createdAt: e.createdAt,
      publishedAt: e.publishedAt,
    })),
    ...attempts.map(({ a, deadLetterId }) => ({
      kind: "attempt" as const,
      at: a.startedAt,
      seq: a.id,
      consumer: a.consumer,
      eventId: a.eventId,
      eventType: a.eventType,
      attempt: a.attempt,
      outcome: a.outcome,
      durationMs: a.durationMs,
      lagMs: a.lagMs,
      error: a.error,
      deadLetterId: a.outcome === "dead-lettered" ? deadLetterId : null,
    })),
  ]);
  return { correlationId, request, timeline };
}
