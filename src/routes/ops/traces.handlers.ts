import type { RouteHandler } from "@hono/zod-openapi";
import { and, asc, eq, sql } from "drizzle-orm";
import { sortTimeline } from "../../flows/ops/timeline";
import { getDb } from "../../platform/db/client";
import { NotFoundError } from "../../platform/errors";
import { consumerAttempts, deadLetters, outbox, requestRecords } from "../../platform/events/schema";
import type { AppEnv } from "../../platform/http/app-env";
import { iso, isoOrNull } from "./ops.shared";
import type { getTraceRoute } from "./traces.routes";

function causationOf(envelope: string): string | null {
  try {
    const id = (JSON.parse(envelope) as { causationid?: unknown }).causationid;
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}

export const getTrace: RouteHandler<typeof getTraceRoute, AppEnv> = async (c) => {
  const { correlationId } = c.req.valid("param");
  const db = getDb(c.env.DB);
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
  const request = requests[0];
  if (!request && events.length === 0 && attempts.length === 0) {
    throw new NotFoundError("trace for correlation id", correlationId);
  }

  const requestView = request
    ? {
        requestId: request.requestId,
        method: request.method,
        path: request.path,
        userId: request.userId,
        traceId: request.traceId,
        at: iso(request.at),
      }
    : null;
  const entries = sortTimeline([
    ...(request && requestView ? [{ kind: "request" as const, at: request.at, view: requestView }] : []),
    ...events.map((e) => ({
      kind: "event" as const,
      at: e.createdAt,
      id: e.id,
      view: {
        id: e.id,
        type: e.type,
        subject: e.subject,
        causationId: causationOf(e.envelope),
        createdAt: iso(e.createdAt),
        publishedAt: isoOrNull(e.publishedAt),
        href: `/ops/events/${encodeURIComponent(e.id)}`,
      },
    })),
    ...attempts.map(({ a, deadLetterId }) => ({
      kind: "attempt" as const,
      at: a.startedAt,
      seq: a.id,
      view: {
        consumer: a.consumer,
        eventId: a.eventId,
        eventType: a.eventType,
        attempt: a.attempt,
        outcome: a.outcome,
        durationMs: a.durationMs,
        lagMs: a.lagMs,
        error: a.error,
        deadLetterId: a.outcome === "dead-lettered" ? deadLetterId : null,
      },
    })),
  ]);
  return c.json(
    {
      correlationId,
      request: requestView,
      timeline: entries.map((e) => ({ kind: e.kind, at: iso(e.at), ...e.view })),
    },
    200,
  );
};
