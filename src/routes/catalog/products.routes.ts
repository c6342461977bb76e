import { createRoute } from "@hono/zod-openapi";
import { d1BookmarkHeaders, d1BookmarkResponseHeader, d1Session } from "../../platform/db/sessions";
import { idempotency, idempotencyKeyHeaders, replayedHeader } from "../../platform/http/idempotency";
import { bearerAuth, problems } from "../../platform/http/openapi";
import { authenticate } from "../accounts/authenticate";
import {
  CreateProductBodySchema,
  ProductIdParamSchema,
  ProductPageSchema,
  ProductSchema,
  ProductSearchQuerySchema,
} from "./products.schemas";

const json = <T>(schema: T) => ({ "application/json": { schema } });

export const searchProducts = createRoute({
  method: "get",
  path: "/v1/products",
  tags: ["Catalog"],
  summary: "Search and browse products",
  description:
    "Full-text search over title, description and category with filters, four sorts and keyset " +
    "pagination. Any text is a valid `q`: search syntax in it is treated as plain words. A `q` with no " +
    "words in it (only punctuation or emoji) returns an empty page. A cursor only works with the " +
    "query that issued it; a malformed or foreign cursor is a 400 `invalid-cursor`.",
  middleware: [d1Session("first-unconstrained")] as const,
  request: { query: ProductSearchQuerySchema, headers: d1BookmarkHeaders },
  responses: {
    200: {
      description: "One page of products",
      headers: d1BookmarkResponseHeader,
      content: json(ProductPageSchema),
    },
  },
});

export const getProduct = createRoute({
  method: "get",
  path: "/v1/products/{id}",
  tags: ["Catalog"],
  summary: "Get a product",
  description: "Public. An unknown id is a 404 not-found problem.",
  middleware: [d1Session("first-unconstrained")] as const,
  request: { params: ProductIdParamSchema, headers: d1BookmarkHeaders },
  responses: {
    200: { description: "The product", headers: d1BookmarkResponseHeader, content: json(ProductSchema) },
    ...problems(404),
  },
});

export const createProduct = createRoute({
  method: "post",
  path: "/v1/products",
  tags: ["Catalog"],
  summary: "List a new product",
  description:
    "For merchants, with a session or an API key holding `catalog:write`. The product is searchable " +
    "as soon as this returns. A SKU is unique per merchant.",
  security: bearerAuth,
  middleware: [authenticate({ roles: ["merchant"], scope: "catalog:write" }), idempotency()] as const,
  request: {
    headers: idempotencyKeyHeaders(),
    body: { content: json(CreateProductBodySchema), required: true },
  },
  responses: {
    201: {
      description: "Created",
      headers: {
        ...replayedHeader,
        Location: {
          description: "The new product",
          schema: { type: "string", example: "/v1/products/prd_…" },
        },
      },
      content: json(ProductSchema),
    },
    ...problems(409, 415, 422),
  },
});
