import { env } from "cloudflare:workers";
import type { ApiKeyScope } from "../../src/flows/accounts/schema";
import { newApiKey } from "../../src/flows/accounts/tokens";
import { sha256Hex } from "../../src/platform/encoding/sha256";
import { newId } from "../../src/platform/ids";

/**
 * Inserts an API key for `userId` straight into D1 (stored as its SHA-256, like the real thing) and
 * returns the `Authorization` header that presents it.
 */
export async function createTestApiKey(
  userId: string,
  scopes: ApiKeyScope[],
): Promise<{ key: string; auth: { authorization: string } }> {
  const key = newApiKey();
  await env.DB.prepare(
    "INSERT INTO api_keys (id, user_id, name, prefix, key_hash, scopes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
  )
    .bind(
      newId("key"),
      userId,
      "test key",
      key.slice(0, 8),
      await sha256Hex(key),
      JSON.stringify(scopes),
      Date.now(),
    )
    .run();
  return { key, auth: { authorization: `Bearer ${key}` } };
}
