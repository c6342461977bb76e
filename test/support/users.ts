import { env } from "cloudflare:workers";
import type { Role } from "../../src/flows/accounts/schema";
import { newSessionToken } from "../../src/flows/accounts/tokens";
import { sha256Hex } from "../../src/platform/encoding/sha256";
import { newId } from "../../src/platform/ids";

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  token: string;
  /** `Authorization` header for this user's session. */
  auth: { authorization: string };
}

/**
 * Inserts a user and a live session straight into D1. Tests of features other than auth use this
 * instead of /v1/auth/signup, which spends 100,000 PBKDF2 iterations per call.
 */
export async function createTestUser(role: Role = "buyer", name = "Test User"): Promise<TestUser> {
  const id = newId("usr");
  const email = `${id}@test.crossdock`;
  const token = newSessionToken();
  const now = Date.now();
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, NULL, ?)",
    ).bind(id, email, name, role, now),
    env.DB.prepare(
      "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
    ).bind(await sha256Hex(token), id, now, now + 3_600_000),
  ]);
  return { id, email, role, token, auth: { authorization: `Bearer ${token}` } };
}
