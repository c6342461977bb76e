import { createRoute } from "@hono/zod-openapi";
import { bearerAuth, problems } from "../../../platform/http/openapi";
import { authenticate } from "../../accounts/authenticate";
import {
  MerchantOrderIdParamsSchema,
  MerchantOrderListQuerySchema,
  MerchantOrderPageSchema,
  MerchantOrderSchema,
} from "./merchant-orders.schemas";

const tags = ["Merchant orders"];
/** A merchant's session, or their API key with `orders:read` (the only routes that scope opens). */
const merchantDesk = authenticate({ roles: ["merchant"], scope: "orders:read" });

export const listMerchantOrders = createRoute({
  method: "get",
  path: "/v1/merchant/orders",
  tags,
  summary: "List the orders holding your products, newest first, with only your lines",
  description:
    "Served from a read model updated shortly after each change to an order. Each order shows your " +
    "lines and your subtotal only — never other merchants' lines or the buyer's total. `from` and `to` " +
    "are UTC days on `placedAt`, inclusive. Unknown query parameters are a 400 naming them. A merchant " +
    "session or an API key with `orders:read`.",
  security: bearerAuth,
  middleware: [merchantDesk] as const,
  request: { query: MerchantOrderListQuerySchema },
  responses: {
    200: {
      description: "A page of your orders",
      content: { "application/json": { schema: MerchantOrderPageSchema } },
    },
  },
});

export const getMerchantOrder = createRoute({
  method: "get",
  path: "/v1/merchant/orders/{id}",
  tags,
  summary: "Read one order holding your products, with only your lines",
  description:
    "An order with none of your products is answered exactly like an unknown id: 404. A merchant " +
    "session or an API key with `orders:read`.",
  security: bearerAuth,
  middleware: [merchantDesk] as const,
  request: { params: MerchantOrderIdParamsSchema },
  responses: {
    200: {
      description: "The order, your view",
      content: { "application/json": { schema: MerchantOrderSchema } },
    },
    ...problems(404),
  },
});
