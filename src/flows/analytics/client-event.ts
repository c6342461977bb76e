import { z } from "zod";

/** What a client can report. Past-tense facts about a shopper's session, as the storefront saw them. */
export const CLIENT_EVENT_TYPES = [
  "product.viewed",
  "product.added_to_cart",
  "product.removed_from_cart",
  "search.performed",
  "checkout.started",
] as const;
export type ClientEventType = (typeof CLIENT_EVENT_TYPES)[number];

/** Limits of one request and one event (public contract; see README and docs/API.md). */
export const ANALYTICS_LIMITS = {
  maxEventsPerRequest: 500,
  maxIdLength: 128,
  maxQueryLength: 200,
  maxPropertyKeys: 20,
  /** Serialised `properties`, in bytes: they travel with the event but are not aggregated. */
  maxPropertiesBytes: 1024,
  /** An event may be stamped this far ahead of the server's clock (client clock skew). */
  maxFutureSkewMs: 5 * 60_000,
  /** Older events are refused: the daily metrics of a week ago are considered settled. */
  maxAgeMs: 7 * 86_400_000,
} as const;

const PropertyValue = z.union([z.string().max(256), z.number(), z.boolean(), z.null()]);

/**
 * One event as a client sends it. Strict, like every body: an unknown field is a mistake worth
 * reporting, not silently dropping.
 */
export const ClientEventSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(ANALYTICS_LIMITS.maxIdLength)
    .optional()
    .describe("Your id for the event, 1–128 characters: resending it never counts the event twice."),
  type: z.enum(CLIENT_EVENT_TYPES),
  occurredAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe(
      "When it happened (ISO 8601); at most 5 minutes ahead, at most 7 days old. Default: when it was received.",
    ),
  productId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(
      "Required for product.* events; optional on checkout.started. One of your products (an admin: any).",
    ),
  query: z
    .string()
    .max(ANALYTICS_LIMITS.maxQueryLength)
    .optional()
    .describe("The search text; required for search.performed."),
  sessionId: z.string().min(1).max(128).optional(),
  properties: z
    .record(z.string().min(1).max(64), PropertyValue)
    .optional()
    .describe("Up to 20 flat keys, at most 1 KiB as JSON; kept with the event, not aggregated."),
});
export type ClientEvent = z.infer<typeof ClientEventSchema>;

/**
 * An accepted event as it is queued: the id is always set (the server's when the client sent none)
 * and the time is normalised to UTC.
 */
export const QueuedClientEventSchema = z.strictObject({
  id: z.string().min(1).max(ANALYTICS_LIMITS.maxIdLength),
  type: z.enum(CLIENT_EVENT_TYPES),
  occurredAt: z.iso.datetime(),
  productId: z.string().min(1).optional(),
  query: z.string().min(1).optional(),
  sessionId: z.string().min(1).optional(),
  properties: z.record(z.string(), PropertyValue).optional(),
});
export type QueuedClientEvent = z.infer<typeof QueuedClientEventSchema>;

export const isProductEvent = (type: ClientEventType): boolean => type.startsWith("product.");
