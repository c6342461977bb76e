import { createRoute, z } from "@hono/zod-openapi";
import { ATTEMPT_OUTCOMES } from "../../platform/events/schema";
import { bearerAuth, problems } from "../../platform/http/openapi";
import { adminOnly, pathParam, TAGS } from "./ops.shared";

const RequestSchema = z
  .object({
    requestId: z.string(),
    method: z.string(),
    path: z.string(),
    userId: z.string().nullable(),
    traceId: z.string().openapi({ description: "W3C trace id, for the request's log lines." }),
    at: z.iso.datetime(),
  })
  .openapi("TracedRequest");

const RequestEntry = RequestSchema.extend({ kind: z.literal("request") }).openapi("TraceRequestEntry");

const EventEntry = z
  .object({
    kind: z.literal("event"),
    at: z.iso.datetime().openapi({ description: "When it was recorded (= createdAt)." }),
    id: z.string(),
    type: z.string(),
    subject: z.string(),
    causationId: z.string().nullable().openapi({ description: "The request or event that caused it." }),
    createdAt: z.iso.datetime(),
    publishedAt: z.iso.datetime().nullable(),
    href: z.string().openapi({
      description: "The event in full, with each consumer's part in it.",
      example: "/ops/events/evt_01jxyz…",
    }),
  })
  .openapi("TraceEventEntry");

const AttemptEntry = z
  .object({
    kind: z.literal("attempt"),
    at: z.iso.datetime().openapi({ description: "When the consumer started on it." }),
    consumer: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    attempt: z.number().int(),
    outcome: z.enum(ATTEMPT_OUTCOMES),
    durationMs: z.number().int(),
    lagMs: z.number().int(),
    error: z.string().nullable(),
    deadLetterId: z
      .string()
      .nullable()
      .openapi({ description: "On a dead-lettered attempt: the dead letter to inspect or redrive." }),
  })
  .openapi("TraceAttemptEntry");

const TraceSchema = z
  .object({
    correlationId: z.string(),
    request: RequestSchema.nullable().openapi({
      description: "The request that started the chain; null when it was not a request (e.g. an alert).",
    }),
    timeline: z.array(z.discriminatedUnion("kind", [RequestEntry, EventEntry, AttemptEntry])),
  })
  .openapi("Trace");

export const getTraceRoute = createRoute({
  method: "get",
  path: "/ops/traces/{correlationId}",
  tags: TAGS,
  summary: "Everything that happened because of a request: its events and every consumer attempt",
  description:
    "The correlation id is the request id a client got in `x-request-id` (or an alert id for alert " +
    "events). Events caused by events share it, so the whole chain is here, in time order, within the " +
    "retention of the outbox and the attempt history. 404 when nothing is recorded under it.",
  security: bearerAuth,
  middleware: [adminOnly] as const,
  request: { params: pathParam("correlationId", "req-abc_123") },
  responses: {
    200: { description: "The trace", content: { "application/json": { schema: TraceSchema } } },
    ...problems(404),
  },
});
