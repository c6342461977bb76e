import { createRoute } from "@hono/zod-openapi";
import type { ZodError } from "zod";
import type { Role } from "../../flows/accounts/schema";
import { ANALYTICS_LIMITS } from "../../flows/analytics/client-event";
import { UnprocessableError } from "../../platform/errors";
import { idempotency, idempotencyKeyHeaders, replayedHeader } from "../../platform/http/idempotency";
import { bearerAuth, problems } from "../../platform/http/openapi";
import { validationHook } from "../../platform/http/validation";
import { authenticate } from "../accounts/authenticate";
import {
  IngestEventsRequestSchema,
  IngestEventsResponseSchema,
  ProductDailyMetricsSchema,
  ProductMetricsParamsSchema,
  ProductMetricsQuerySchema,
} from "./analytics.schemas";

const tags = ["Analytics"];

/**
 * Who may report client events: a buyer (about their own shopping, counted once a day per product and
 * kind: see oncePerShopperDay), a merchant (on its own products) or an admin. Anonymous visitors may not.
 * The storefront reads this to know whether its script has anyone to report as.
 */
export const EVENT_REPORTERS: Role[] = ["buyer", "merchant", "admin"];
const { maxEventsPerRequest } = ANALYTICS_LIMITS;

export const ingestEvents = createRoute({
  method: "post",
  path: "/v1/events",
  tags,
  summary: "Report a batch of client events (views, cart changes, searches, checkouts)",
  description:
    `Up to ${maxEventsPerRequest} events, each checked on its own: the valid ones are queued and counted ` +
    "into the daily metrics within seconds, the others are listed in `rejected` with the field at fault. " +
    "A merchant (or its key) reports only on its own products; an admin on any. A buyer reports their own " +
    "shopping on any product, and each of their facts counts once per type, product (or search text) and " +
    "UTC day, whatever its `id`, so no shopper can inflate a product's figures. " +
    "Give each event an `id`: an event resent with the same id (by the same account) is counted once. " +
    "Bodies may be up to ANALYTICS_MAX_BODY_BYTES (1 MiB). 422 `too-many-events` over " +
    `${maxEventsPerRequest} events; 429 \`rate-limited\` (with Retry-After) past 50 requests per 10 s ` +
    "from one account. Accepted events are committed before the answer, then delivered to the metrics " +
    "consumer at least once (the delivery ledger re-sends what a queue loses).",
  security: bearerAuth,
  middleware: [authenticate({ roles: EVENT_REPORTERS, scope: "events:write" }), idempotency()] as const,
  request: {
    headers: idempotencyKeyHeaders(),
    body: { required: true, content: { "application/json": { schema: IngestEventsRequestSchema } } },
  },
  responses: {
    202: {
      description: "The valid events are queued; the others are listed with why",
      headers: replayedHeader,
      content: { "application/json": { schema: IngestEventsResponseSchema } },
    },
    ...problems(409, 422, 429),
  },
});

/**
 * Too many events is not a malformed body but a batch over the limit: 422 `too-many-events`, naming
 * `events`. Every other validation failure is the usual 400. A valid batch is not checked for
 * malformed text here: each event is, on its own, so one bad string rejects its event, not the batch.
 */
export function ingestEventsHook(result: { success: boolean; error?: ZodError; target: string }): undefined {
  const tooMany = result.error?.issues.some(
    (i) => i.code === "too_big" && i.path.length === 1 && i.path[0] === "events",
  );
  if (!result.success && result.target === "json" && tooMany) {
    const message = `at most ${maxEventsPerRequest} events per request`;
    throw new UnprocessableError(
      `The batch has more than ${maxEventsPerRequest} events; send the rest in another request.`,
      "too-many-events",
      { errors: [{ field: "events", in: "body", message }], limit: maxEventsPerRequest },
    );
  }
  if (!result.success) validationHook(result);
  return undefined;
}

export const productDailyMetrics = createRoute({
  method: "get",
  path: "/v1/analytics/products/{productId}/daily",
  tags,
  summary: "Daily views, cart changes and checkouts of one of your products",
  description:
    "One entry per UTC day from `from` to `to` (at most 366 days), zeros included. Counted from " +
    "POST /v1/events, a few seconds behind. Another merchant's product is a 404, like a missing one.",
  security: bearerAuth,
  middleware: [authenticate({ roles: ["merchant", "admin"], scope: "reports:read" })] as const,
  request: { params: ProductMetricsParamsSchema, query: ProductMetricsQuerySchema },
  responses: {
    200: {
      description: "The product's daily metrics",
      content: { "application/json": { schema: ProductDailyMetricsSchema } },
    },
    ...problems(404),
  },
});
