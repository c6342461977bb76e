import { createRoute } from "@hono/zod-openapi";
import { d1BookmarkHeaders, d1BookmarkResponseHeader, d1Session } from "../../platform/db/sessions";
import { idempotency, idempotencyKeyHeaders, replayedHeader } from "../../platform/http/idempotency";
import { bearerAuth, problems } from "../../platform/http/openapi";
import { authenticate } from "../accounts/authenticate";
import { QuoteIdParamsSchema, QuoteRequestSchema, QuoteSchema } from "./quotes.schemas";

const buyerOnly = authenticate({ roles: ["buyer"] });

export const createQuote = createRoute({
  method: "post",
  path: "/v1/quotes",
  tags: ["Quotes"],
  summary: "Price a cart and hold that price for QUOTE_TTL_SECONDS",
  description:
    "Prices the items for the destination with the optional promo code and stores the quote so checkout " +
    "can honour exactly this price until `expiresAt`. Stock is checked but not reserved. Repeated " +
    "product ids are merged.",
  security: bearerAuth,
  middleware: [buyerOnly, idempotency(), d1Session("first-primary")] as const,
  request: {
    headers: idempotencyKeyHeaders().extend(d1BookmarkHeaders.shape),
    // Without `required`, a non-JSON request would skip validation and reach the handler bodiless;
    // with it, hono answers 415.
    body: { required: true, content: { "application/json": { schema: QuoteRequestSchema } } },
  },
  responses: {
    200: {
      description: "The priced, stored quote",
      headers: { ...replayedHeader, ...d1BookmarkResponseHeader },
      content: { "application/json": { schema: QuoteSchema } },
    },
    ...problems(409, 422),
  },
});

export const getQuote = createRoute({
  method: "get",
  path: "/v1/quotes/{id}",
  tags: ["Quotes"],
  summary: "Read one of your quotes as it was priced",
  description: "Never repriced. Someone else's quote is answered exactly like an unknown id: 404.",
  security: bearerAuth,
  middleware: [buyerOnly, d1Session("first-unconstrained")] as const,
  request: { params: QuoteIdParamsSchema, headers: d1BookmarkHeaders },
  responses: {
    200: {
      description: "The stored quote",
      headers: d1BookmarkResponseHeader,
      content: { "application/json": { schema: QuoteSchema } },
    },
    ...problems(404),
  },
});
