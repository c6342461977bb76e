import { createRoute, z } from "@hono/zod-openapi";
import { createSelectSchema } from "drizzle-zod";
import { API_KEY_SCOPES, apiKeys } from "../../../flows/accounts/schema";
import {
  IDEMPOTENCY_TTL_HOURS,
  idempotency,
  idempotencyKeyHeaders,
  replayedHeader,
} from "../../../platform/http/idempotency";
import { bearerAuth, problems } from "../../../platform/http/openapi";
import { authenticate } from "../authenticate";

const merchantSession = authenticate({ roles: ["merchant"] });

export const ApiKeySchema = createSelectSchema(apiKeys)
  .pick({ id: true, name: true, prefix: true })
  .extend({
    scopes: z.array(z.enum(API_KEY_SCOPES)),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
  })
  .openapi("ApiKey");

const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().openapi({ description: "The secret. Shown only in this response; store it now." }),
}).openapi("CreatedApiKey");

export const CreateApiKeyBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100).openapi({ example: "catalog sync" }),
    scopes: z
      .array(z.enum(API_KEY_SCOPES))
      .min(1)
      .refine((s) => new Set(s).size === s.length, "scopes must not repeat"),
  })
  .openapi("CreateApiKeyRequest");

export const createApiKeyRoute = createRoute({
  method: "post",
  path: "/v1/api-keys",
  tags: ["API keys"],
  summary: "Issue an API key limited to the given scopes (the key is shown once)",
  security: bearerAuth,
  description:
    "With an Idempotency-Key, a retry of the same request replays the first answer, secret included, " +
    `to the same account for ${IDEMPOTENCY_TTL_HOURS} hours.`,
  middleware: [merchantSession, idempotency()] as const,
  request: {
    headers: idempotencyKeyHeaders(),
    body: { required: true, content: { "application/json": { schema: CreateApiKeyBody } } },
  },
  responses: {
    201: {
      description: "Created",
      headers: replayedHeader,
      content: { "application/json": { schema: CreatedApiKeySchema } },
    },
    ...problems(409, 422),
  },
});

export const listApiKeysRoute = createRoute({
  method: "get",
  path: "/v1/api-keys",
  tags: ["API keys"],
  summary: "The caller's API keys, without their secrets",
  description:
    "Merchant sessions only (an API key cannot list keys). Secrets are never stored, so never shown again.",
  security: bearerAuth,
  middleware: [merchantSession] as const,
  responses: {
    200: {
      description: "The keys",
      content: { "application/json": { schema: z.object({ items: z.array(ApiKeySchema) }) } },
    },
  },
});

export const deleteApiKeyRoute = createRoute({
  method: "delete",
  path: "/v1/api-keys/{id}",
  tags: ["API keys"],
  summary: "Revoke an API key; it stops working at once",
  description: "Merchant sessions only. Another merchant's key is answered exactly like an unknown id: 404.",
  security: bearerAuth,
  middleware: [merchantSession] as const,
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: { 204: { description: "Revoked" }, ...problems(404) },
});
