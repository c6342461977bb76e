import { eq } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import { type ApiKeyScope, apiKeys, type Role, users } from "../../flows/accounts/schema";
import { principalUserColumns, sessionPrincipalLookup } from "../../flows/accounts/session-principal";
import { API_KEY_PREFIX, SESSION_TOKEN_PREFIX } from "../../flows/accounts/tokens";
import { getDb } from "../../platform/db/client";
import { sha256Hex } from "../../platform/encoding/sha256";
import { ForbiddenError, UnauthorizedError } from "../../platform/errors";
import type { AppEnv, Principal } from "../../platform/http/app-env";

export interface AuthRequirement {
  /** Roles allowed; any authenticated user when omitted. */
  roles?: readonly Role[];
  /**
   * The scope an API key must hold to use this route (any one of them, for a list: e.g. reading a job
   * that a `catalog:write` or a `reports:read` key started). Routes without one accept only user
   * sessions, so a leaked key can never do more than the topics it was issued for.
   */
  scope?: ApiKeyScope | readonly ApiKeyScope[];
}

function bearer(header: string | undefined): string | null {
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return m?.[1] ?? null;
}

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * One D1 read per request: the credential joined to its user; null when unknown, revoked or expired.
 * Exported for the console, whose session token rides in a cookie instead of the Authorization header.
 */
export async function resolveToken(
  env: Env,
  ctx: Pick<ExecutionContext, "waitUntil">,
  token: string,
  now: number,
): Promise<Principal | null> {
  const tokenHash = await sha256Hex(token);
  if (token.startsWith(SESSION_TOKEN_PREFIX)) {
    const row = await sessionPrincipalLookup(env.DB).get({ tokenHash, now });
    return row
      ? { kind: "session", userId: row.user.id, role: row.user.role, user: row.user, tokenHash }
      : null;
  }
  if (token.startsWith(API_KEY_PREFIX)) {
    const db = getDb(env.DB);
    const row = await db
      .select({
        apiKeyId: apiKeys.id,
        scopes: apiKeys.scopes,
        lastUsedAt: apiKeys.lastUsedAt,
        user: principalUserColumns,
      })
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.userId))
      .where(eq(apiKeys.keyHash, tokenHash))
      .get();
    if (!row) return null;
    const { lastUsedAt, ...rest } = row;
    if (lastUsedAt === null || now - lastUsedAt > LAST_USED_RESOLUTION_MS) {
      // Off the response path and at most once a minute per key: a write on every call would cost more
      // than the information is worth.
      ctx.waitUntil(db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.apiKeyId)).run());
    }
    return { kind: "api-key", userId: row.user.id, role: row.user.role, ...rest };
  }
  return null;
}

/**
 * Requires a valid `Authorization: Bearer …` (session token or scoped API key) and sets `principal`.
 * 401 when missing, unknown, revoked or expired; 403 when the role or the key's scope does not allow it.
 *
 * @example
 * route.middleware = [authenticate({ roles: ["merchant"], scope: "catalog:write" })]
 */
export function authenticate(req: AuthRequirement = {}) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const token = bearer(c.req.header("authorization"));
    if (!token) throw new UnauthorizedError("Send a token as 'Authorization: Bearer <token>'.");
    const principal = await resolveToken(c.env, c.executionCtx, token, Date.now());
    if (!principal) throw new UnauthorizedError("The token is invalid, revoked or expired.");
    if (principal.kind === "api-key") {
      if (!req.scope) throw new ForbiddenError("API keys cannot be used on this endpoint; sign in instead.");
      const accepted: readonly ApiKeyScope[] = typeof req.scope === "string" ? [req.scope] : req.scope;
      if (!accepted.some((scope) => principal.scopes.includes(scope))) {
        throw new ForbiddenError(`This API key lacks the '${accepted.join("' or '")}' scope.`);
      }
    }
    if (req.roles && !req.roles.includes(principal.role)) {
      throw new ForbiddenError(`This endpoint is for ${req.roles.join(" or ")} accounts.`);
    }
    c.set("principal", principal);
    await next();
  });
}
