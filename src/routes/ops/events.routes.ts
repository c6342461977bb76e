import { createRoute, z } from "@hono/zod-openapi";
import { ATTEMPT_OUTCOMES, DEAD_LETTER_STATUSES, DELIVERY_STATES } from "../../platform/events/schema";
import { bearerAuth, problems } from "../../platform/http/openapi";
import { adminOnly, pathParam, TAGS } from "./ops.shared";

const AttemptSchema = z
  .object({
    attempt: z.number().int(),
    outcome: z.enum(ATTEMPT_OUTCOMES),
    startedAt: z.iso.datetime(),
    durationMs: z.number().int(),
    lagMs: z.number().int().openapi({ description: "From the event's publication to this attempt's start." }),
    error: z.string().nullable(),
  })
  .openapi("EventDeliveryAttempt");

const ConsumerViewSchema = z
  .object({
    consumer: z.string(),
    subscribed: z.boolean().openapi({
      description:
        "Whether the topology subscribes it to the type today (false: history from an older topology).",
    }),
    acknowledged: z
      .boolean()
      .openapi({ description: "It recorded the event as processed (`processed_events`)." }),
    acknowledgedAt: z.iso.datetime().nullable(),
    attempts: z
      .array(AttemptSchema)
      .openapi({ description: "Oldest first, within the attempt history's retention." }),
    deadLetter: z
      .object({ id: z.string(), status: z.enum(DEAD_LETTER_STATUSES) })
      .nullable()
      .openapi({ description: "Its dead letter, to inspect at /ops/dead-letters/{id} or redrive." }),
    delivery: z
      .object({ state: z.enum(DELIVERY_STATES), resends: z.number().int() })
      .nullable()
      .openapi({
        description: "The outstanding delivery the reconciler watches; null once acknowledged or never late.",
      }),
  })
  .openapi("EventConsumerView");

const EventViewSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    schemaVersion: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "From the envelope's `dataschema` (`urn:crossdock:event:<type>:v<n>`)." }),
    subject: z.string(),
    correlationId: z.string().openapi({ description: "Its whole chain: GET /ops/traces/{correlationId}." }),
    createdAt: z.iso.datetime(),
    publishedAt: z.iso
      .datetime()
      .nullable()
      .openapi({ description: "Null while the relay has not sent it." }),
    settledAt: z.iso.datetime().nullable().openapi({
      description: "When every subscribed consumer had it (acknowledged or dead letter discarded).",
    }),
    envelope: z
      .unknown()
      .openapi({ description: "The stored CloudEvents envelope, parsed (raw text if it does not parse)." }),
    consumers: z.array(ConsumerViewSchema),
  })
  .openapi("EventView");

export const getEventRoute = createRoute({
  method: "get",
  path: "/ops/events/{id}",
  tags: TAGS,
  summary: "One event: its envelope, when it was published and settled, and what each consumer did with it",
  description:
    "Reads the outbox, so an event is here within the outbox's retention. Each consumer subscribed to " +
    "its type is listed with its attempts, its acknowledgement, its dead letter and the outstanding " +
    "delivery, if any. 404 for an unknown id.",
  security: bearerAuth,
  middleware: [adminOnly] as const,
  request: { params: pathParam("id", "evt_01jxyz…") },
  responses: {
    200: { description: "The event", content: { "application/json": { schema: EventViewSchema } } },
    ...problems(404),
  },
});
