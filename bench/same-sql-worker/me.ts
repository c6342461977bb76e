import { env as startupEnv } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { selectSessionPrincipal } from "../../src/flows/accounts/session-principal";
import { SESSION_TOKEN_PREFIX } from "../../src/flows/accounts/tokens";
import { getDb } from "../../src/platform/db/client";
import { sha256Hex } from "../../src/platform/encoding/sha256";
import { problem, type SameSqlEnv, type SameSqlHandler } from "./handler";
import { bindNamed, render } from "./statement";

// crossdock's own query builder renders the SQL once, at start-up; requests then go straight to D1.
const SESSION_PRINCIPAL = render(
  selectSessionPrincipal(getDb(startupEnv.DB), sql.placeholder("tokenHash"), sql.placeholder("now")),
);

/** Columns in the order of `principalUserColumns`, which is the order of the select. */
export type UserTuple = [id: string, email: string, name: string, role: string, createdAt: number];

/**
 * The session's user, or null: the same bearer parsing, SHA-256 and D1 call (`raw()`, as drizzle's
 * `.get()` makes it) as crossdock's `authenticate` for a session token.
 */
export async function sessionUser(request: Request, env: SameSqlEnv): Promise<UserTuple | null> {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!token?.startsWith(SESSION_TOKEN_PREFIX)) return null;
  const values = { tokenHash: await sha256Hex(token), now: Date.now() };
  const rows = await bindNamed(env.DB, SESSION_PRINCIPAL, values).raw<UserTuple>();
  return rows[0] ?? null;
}

/** GET /v1/me without a framework, answering the same JSON as crossdock's `toUserView`. */
export const me: SameSqlHandler = async (request, env) => {
  const user = await sessionUser(request, env);
  if (!user) return problem(401, "The token is missing, invalid, revoked or expired.");
  const [id, email, name, role, createdAt] = user;
  return Response.json({ id, email, name, role, createdAt: new Date(createdAt).toISOString() });
};
