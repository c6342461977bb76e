import { createRoute } from "@hono/zod-openapi";
import { d1BookmarkHeaders, d1BookmarkResponseHeader, d1Session } from "../../../platform/db/sessions";
import { idempotency, idempotencyKeyHeaders, replayedHeader } from "../../../platform/http/idempotency";
import { bearerAuth, problems } from "../../../platform/http/openapi";
import { authenticate } from "../../accounts/authenticate";
import {
  OrderAcceptedSchema,
  OrderIdParamsSchema,
  OrderListQuerySchema,
  OrderListSchema,
  OrderSchema,
  PlaceOrderRequestSchema,
} from "./orders.schemas";

const tags = ["Orders"];
const buyerOnly = authenticate({ roles: ["buyer"] });
const accepted = (description: string) => ({
  description,
  headers: {
    ...replayedHeader,
    ...d1BookmarkResponseHeader,
    Location: { description: "The order's status URL.", schema: { type: "string" as const } },
  },
  content: { "application/json": { schema: OrderAcceptedSchema } },
});

export const placeOrder = createRoute({
  method: "post",
  path: "/v1/orders",
  tags,
  summary: "Place an order for one of your quotes, at exactly its price",
  description:
    "Records the order and answers at once; inventory and payment run afterwards in the order's " +
    "checkout saga — follow them at `statusUrl`. A quote is honoured once, until it expires.",
  security: bearerAuth,
  middleware: [buyerOnly, idempotency({ required: true }), d1Session("first-primary")] as const,
  request: {
    headers: idempotencyKeyHeaders({ required: true }).extend(d1BookmarkHeaders.shape),
    body: { required: true, content: { "application/json": { schema: PlaceOrderRequestSchema } } },
  },
  responses: {
    202: accepted("The order is placed and checkout has started"),
    ...problems(404, 409, 410, 422),
  },
});

export const getOrder = createRoute({
  method: "get",
  path: "/v1/orders/{id}",
  tags,
  summary: "Read one of your orders: status, checkout steps, lines and totals",
  description: "Someone else's order is answered exactly like an unknown id: 404.",
  security: bearerAuth,
  middleware: [authenticate(), d1Session("first-unconstrained")] as const,
  request: { params: OrderIdParamsSchema, headers: d1BookmarkHeaders },
  responses: {
    200: {
      description: "The order",
      headers: d1BookmarkResponseHeader,
      content: { "application/json": { schema: OrderSchema } },
    },
    ...problems(404),
  },
});

export const streamOrder = createRoute({
  method: "get",
  path: "/v1/orders/{id}/stream",
  tags,
  summary: "Follow one of your orders as Server-Sent Events",
  description:
    "`event: status` frames, each `{orderId, status, statusMessage, version, terminal}`: the current state " +
    "at once, then one per change as the checkout saga moves the order, ending after a terminal one. The " +
    "stream opens with `retry: 3000`. Each frame's `id` is the order's version; a reconnecting client that " +
    "sends `Last-Event-ID` hears only newer states, and one that has already seen the terminal state gets " +
    "204, which tells an EventSource to stop reconnecting.",
  security: bearerAuth,
  middleware: [authenticate()] as const,
  request: { params: OrderIdParamsSchema },
  responses: {
    200: {
      description: "An event stream of the order's states",
      content: { "text/event-stream": { schema: { type: "string" } } },
    },
    204: { description: "Last-Event-ID shows the terminal state was already seen: nothing more will come" },
    ...problems(404),
  },
});

export const listOrders = createRoute({
  method: "get",
  path: "/v1/orders",
  tags,
  summary: "List your orders, newest first",
  description:
    "Served from a read model updated shortly after each change. Pass a write's `consistencyToken` to " +
    "wait (about 2 s at most) until the list reflects it; if it has not by then, `consistency.caughtUp` " +
    "is false and that order is marked `final: false` — never shown in an older settled state.",
  security: bearerAuth,
  middleware: [buyerOnly, d1Session("first-unconstrained")] as const,
  request: { query: OrderListQuerySchema, headers: d1BookmarkHeaders },
  responses: {
    200: {
      description: "A page of your orders",
      headers: d1BookmarkResponseHeader,
      content: { "application/json": { schema: OrderListSchema } },
    },
  },
});

export const cancelOrder = createRoute({
  method: "post",
  path: "/v1/orders/{id}/cancel",
  tags,
  summary: "Cancel one of your orders while it can still be cancelled",
  description:
    "202 while checkout can still be undone: what was reserved or authorized is given back. 409 once it " +
    "cannot (`too-late`: it is confirmed or being confirmed — ask for a refund; `already-cancelled`).",
  security: bearerAuth,
  middleware: [buyerOnly, idempotency(), d1Session("first-primary")] as const,
  request: { params: OrderIdParamsSchema, headers: idempotencyKeyHeaders().extend(d1BookmarkHeaders.shape) },
  responses: {
    202: accepted("The cancellation has started"),
    ...problems(404, 409, 422),
  },
});

export const refundOrder = createRoute({
  method: "post",
  path: "/v1/orders/{id}/refund",
  tags,
  summary: "Refund a confirmed order (its merchant, or an admin)",
  description:
    "A merchant may refund an order whose every line is theirs; an order they have no line in is a 404, " +
    "one shared with other merchants a 403 (an admin refunds it). 409 unless the order is confirmed " +
    "(`not-refundable`, `already-refunded`).",
  security: bearerAuth,
  middleware: [
    authenticate({ roles: ["merchant", "admin"] }),
    idempotency(),
    d1Session("first-primary"),
  ] as const,
  request: { params: OrderIdParamsSchema, headers: idempotencyKeyHeaders().extend(d1BookmarkHeaders.shape) },
  responses: {
    202: accepted("The refund has started"),
    ...problems(404, 409, 422),
  },
});
