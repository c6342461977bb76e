import type { RouteHandler } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { type ApiKeyRow, apiKeys } from "../../../flows/accounts/schema";
import { newApiKey } from "../../../flows/accounts/tokens";
import { getDb } from "../../../platform/db/client";
import { sha256Hex } from "../../../platform/encoding/sha256";
import { NotFoundError } from "../../../platform/errors";
import type { AppEnv } from "../../../platform/http/app-env";
import { principalOf } from "../../../platform/http/principal";
import { newId } from "../../../platform/ids";
import type { createApiKeyRoute, deleteApiKeyRoute, listApiKeysRoute } from "./api-keys.routes";

/** Enough of the key to tell keys apart in a listing, far too little to guess the rest. */
const PREFIX_LENGTH = 12;

function toView(row: Omit<ApiKeyRow, "keyHash" | "userId">) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdAt: new Date(row.createdAt).toISOString(),
    lastUsedAt: row.lastUsedAt === null ? null : new Date(row.lastUsedAt).toISOString(),
  };
}

export const createApiKey: RouteHandler<typeof createApiKeyRoute, AppEnv> = async (c) => {
  const { name, scopes } = c.req.valid("json");
  const { userId } = principalOf(c);
  const now = Date.now();
  const key = newApiKey();
  const row = {
    id: newId("key", now),
    userId,
    name,
    prefix: key.slice(0, PREFIX_LENGTH),
    keyHash: await sha256Hex(key),
    scopes,
    createdAt: now,
    lastUsedAt: null,
  };
  await getDb(c.env.DB).insert(apiKeys).values(row);
  c.get("log").info("api-key.created", { apiKeyId: row.id, scopes });
  c.header("location", `/v1/api-keys/${row.id}`);
  return c.json({ ...toView(row), key }, 201);
};

export const listApiKeys: RouteHandler<typeof listApiKeysRoute, AppEnv> = async (c) => {
  const { userId } = principalOf(c);
  const rows = await getDb(c.env.DB)
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.userId, userId))
    .orderBy(desc(apiKeys.createdAt));
  return c.json({ items: rows.map(toView) }, 200);
};

export const deleteApiKey: RouteHandler<typeof deleteApiKeyRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { userId } = principalOf(c);
  // Scoped to the owner: another merchant's key id is indistinguishable from a missing one.
  const deleted = await getDb(c.env.DB)
    .delete(apiKeys)
    .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, userId)))
    .returning({ id: apiKeys.id });
  if (deleted.length === 0) throw new NotFoundError("API key", id);
  c.get("log").info("api-key.revoked", { apiKeyId: id });
  return c.body(null, 204);
};
