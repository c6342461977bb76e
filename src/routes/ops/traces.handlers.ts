import type { RouteHandler } from "@hono/zod-openapi";
import { readTrace, type TracedRequest, type TraceEntry } from "../../flows/ops/trace";
import { getDb } from "../../platform/db/client";
import { NotFoundError } from "../../platform/errors";
import type { AppEnv } from "../../platform/http/app-env";
import { iso, isoOrNull } from "./ops.shared";
import type { getTraceRoute } from "./traces.routes";

const requestView = (r: TracedRequest) => ({
  requestId: r.requestId,
  method: r.method,
  path: r.path,
  userId: r.userId,
  traceId: r.traceId,
  at: iso(r.at),
});

/** One timeline entry as JSON: times as ISO 8601, an event with the link to its full record. */
function entryView(e: TraceEntry) {
  switch (e.kind) {
    case "request":
      return { kind: e.kind, ...requestView(e) };
    case "event":
      return {
        kind: e.kind,
        at: iso(e.at),
        id: e.id,
        type: e.type,
        subject: e.subject,
        causationId: e.causationId,
        createdAt: iso(e.createdAt),
        publishedAt: isoOrNull(e.publishedAt),
        href: `/ops/events/${encodeURIComponent(e.id)}`,
      };
    case "attempt":
      return {
        kind: e.kind,
        at: iso(e.at),
        consumer: e.consumer,
        eventId: e.eventId,
        eventType: e.eventType,
        attempt: e.attempt,
        outcome: e.outcome,
        durationMs: e.durationMs,
        lagMs: e.lagMs,
        error: e.error,
        deadLetterId: e.deadLetterId,
      };
    default: {
      const unreachable: never = e;
      throw new Error(`unknown trace entry ${JSON.stringify(unreachable)}`);
    }
  }
}

export const getTrace: RouteHandler<typeof getTraceRoute, AppEnv> = async (c) => {
  const { correlationId } = c.req.valid("param");
  const trace = await readTrace(getDb(c.env.DB), correlationId);
  if (!trace) throw new NotFoundError("trace for correlation id", correlationId);
  return c.json(
    {
      correlationId,
      request: trace.request ? requestView(trace.request) : null,
      timeline: trace.timeline.map(entryView),
    },
    200,
  );
};
