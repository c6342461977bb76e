import { and, eq, lte } from "drizzle-orm";
import type { Db } from "../../platform/db/client";
import { sha256Hex } from "../../platform/encoding/sha256";
import { sessions } from "./schema";
import { newSessionToken } from "./tokens";

export const DEFAULT_TOKEN_TTL_SECONDS = 86_400;

/**
 * Mints a session token for a user and returns the statements that store it (only its hash), plus a
 * clean-up of that user's expired sessions so the table does not grow without bound. The caller runs
 * them in its own `db.batch`, so the session lands atomically with the writes around it.
 */
export async function issueSession(db: Db, userId: string, ttlSeconds: number, now: number) {
  const token = newSessionToken();
  const expiresAt = now + ttlSeconds * 1000;
  const tokenHash = await sha256Hex(token);
  const statements = [
    db.delete(sessions).where(and(eq(sessions.userId, userId), lte(sessions.expiresAt, now))),
    db.insert(sessions).values({ tokenHash, userId, createdAt: now, expiresAt }),
  ] as const;
  return { token, expiresAt, statements };
}

export function tokenTtlSeconds(env: Pick<Env, "TOKEN_TTL_SECONDS">): number {
  const n = Number(env.TOKEN_TTL_SECONDS);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_TOKEN_TTL_SECONDS;
}
