import { z } from "@hono/zod-openapi";
import { ANALYTICS_LIMITS, ClientEventSchema } from "../../flows/analytics/client-event";

/**
 * ClientEvent as a JSON Schema component of the OpenAPI document. The request documents its items by
 * reference only: each is validated on its own in the handler, so a bad event never fails the batch.
 * (The domain schema is plain zod, built before @hono/zod-openapi could extend it, hence no .openapi.)
 */
export function clientEventComponent(): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(ClientEventSchema) as Record<string, unknown>;
  return schema;
}

const IngestEventsBodySchema = z
  .strictObject({
    events: z
      .array(
        z.unknown().openapi({
          description: "A ClientEvent. Each is checked on its own; a bad one is listed in `rejected`.",
          allOf: [{ $ref: "#/components/schemas/ClientEvent" }],
        }),
      )
      .min(1)
      .max(ANALYTICS_LIMITS.maxEventsPerRequest),
  })
  .openapi("IngestEventsRequest", {
    description: "`{events: [...]}`; a bare JSON array of events is read as the same thing.",
  });

/** A bare array is the batch itself: beacons and SDKs often send one, and it can mean nothing else. */
export const IngestEventsRequestSchema = z.preprocess(
  (body) => (Array.isArray(body) ? { events: body } : body),
  IngestEventsBodySchema,
);

export const IngestEventsResponseSchema = z
  .object({
    accepted: z.number().int().nonnegative().openapi({ description: "How many events were queued." }),
    rejected: z
      .array(
        z.object({
          index: z.number().int().nonnegative().openapi({ description: "The event's index in `events`." }),
          reason: z.string().openapi({ example: "occurredAt: older than 7 days" }),
        }),
      )
      .openapi({ description: "The events refused, in index order; nothing of theirs was kept." }),
  })
  .openapi("IngestEventsResponse");

const Day = z.iso.date().openapi({ example: "2026-08-01" });

export const ProductMetricsParamsSchema = z.object({
  productId: z.string().min(1).max(64).openapi({ example: "prd_01jxyz…" }),
});

/** At most a year per call; both ends are UTC days, inclusive. */
export const MAX_RANGE_DAYS = 366;

export const ProductMetricsQuerySchema = z.strictObject({
  from: Day.optional().openapi({ description: "First day (UTC, inclusive); default: 29 days before `to`." }),
  to: Day.optional().openapi({ description: "Last day (UTC, inclusive); default: today." }),
});

export const ProductDailyMetricsSchema = z
  .object({
    productId: z.string(),
    from: Day,
    to: Day,
    days: z.array(
      z.object({
        day: Day,
        views: z.number().int(),
        addToCarts: z.number().int(),
        removesFromCart: z.number().int(),
        checkoutsStarted: z.number().int(),
      }),
    ),
  })
  .openapi("ProductDailyMetrics");
