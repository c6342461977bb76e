import { createRoute, z } from "@hono/zod-openapi";
import { CONSUMERS } from "../../flows";
import type { ConsumerName } from "../../platform/events/registry";
import { DELIVERY_STATES } from "../../platform/events/schema";
import { bearerAuth } from "../../platform/http/openapi";
import { adminOnly, pageOf, pageQuery, TAGS } from "./ops.shared";

const CONSUMER_NAMES = Object.keys(CONSUMERS) as [ConsumerName, ...ConsumerName[]];

export const DeliverySchema = z
  .object({
    consumer: z.enum(CONSUMER_NAMES),
    eventId: z.string(),
    eventType: z.string().openapi({ example: "order.confirmed" }),
    correlationId: z.string(),
    state: z.enum(DELIVERY_STATES).openapi({
      description:
        "`queued`: sent (or re-sent) and not yet tried by the consumer; `in-progress`: a handler is working " +
        "on it right now (a long import or report); `retrying`: the consumer's last " +
        "attempt failed and the queue will retry it; `dead-lettered`: it ran out of retries (or of " +
        "re-sends) and waits for an operator at /ops/dead-letters.",
    }),
    publishedAt: z.iso.datetime().openapi({ description: "When the relay first sent it." }),
    ageSeconds: z.number().int(),
    resends: z.number().int().openapi({ description: "Re-sends by the delivery reconciler so far." }),
    lastResentAt: z.iso.datetime().nullable(),
    lastError: z.string().nullable().openapi({ description: "The consumer's last error, if it failed." }),
    checkedAt: z.iso.datetime().openapi({ description: "When the reconciler last looked at it." }),
  })
  .openapi("Delivery");

export const DeliveryListQuery = z.strictObject({
  consumer: z.enum(CONSUMER_NAMES).optional().openapi({ description: "Only this consumer's deliveries." }),
  state: z.enum(DELIVERY_STATES).optional().openapi({ description: "Only deliveries in this state." }),
  ...pageQuery,
});

export const listDeliveriesRoute = createRoute({
  method: "get",
  path: "/ops/deliveries",
  tags: TAGS,
  summary: "Deliveries outstanding: facts a subscribed consumer has not acknowledged, oldest first",
  description:
    "A delivery is one published fact for one consumer subscribed to its type. It is listed here once " +
    "it has gone unacknowledged past the grace period (DELIVERY_GRACE_SECONDS), and leaves the list as " +
    "soon as the consumer acknowledges it or its dead letter is discarded.",
  security: bearerAuth,
  middleware: [adminOnly] as const,
  request: { query: DeliveryListQuery },
  responses: {
    200: {
      description: "A page",
      content: { "application/json": { schema: pageOf(DeliverySchema, "DeliveryPage") } },
    },
  },
});
