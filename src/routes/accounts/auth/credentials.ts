import { eq } from "drizzle-orm";
import type { Context } from "hono";
import { isAdminEmail, upsertAdmin, verifyAdminPassword } from "../../../flows/accounts/admin-account";
import { DUMMY_PASSWORD_HASH, verifyPassword } from "../../../flows/accounts/password";
import { users } from "../../../flows/accounts/schema";
import { issueSession, tokenTtlSeconds } from "../../../flows/accounts/sessions";
import { evaluateAlerts } from "../../../flows/ops/alerting";
import { getDb } from "../../../platform/db/client";
import { InvalidCredentialsError } from "../../../platform/errors";
import type { AppEnv } from "../../../platform/http/app-env";
import { errorFields } from "../../../platform/observability/logger";
import { LoginThrottle } from "../login-throttle";

export type User = typeof users.$inferSelect;

/**
 * The user an email and password belong to, behind the login throttle; `InvalidCredentialsError` (401)
 * when they match no one, `RateLimitedError` (429) while the email or address is locked out. One check
 * for every way in (the API's /v1/auth/login, the console's sign-in form), so both are throttled alike.
 */
export async function checkCredentials(c: Context<AppEnv>, email: string, password: string): Promise<User> {
  const db = getDb(c.env.DB);
  // Lockouts are timed on the app's clock (tests move it by hand).
  const now = c.var.clock.now();
  const client = c.req.header("cf-connecting-ip") ?? "unknown";
  const throttle = new LoginThrottle(db, c.env, email, client);
  await throttle.assertAllowed(now);

  let user: User | undefined;
  if (isAdminEmail(c.env, email)) {
    if (await verifyAdminPassword(c.env, password)) {
      user = await upsertAdmin(db, email, now);
    }
  } else {
    const row = await db.select().from(users).where(eq(users.email, email)).get();
    // Verify against a dummy hash when the email is unknown, so both cases cost the same time.
    const ok = await verifyPassword(password, row?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (row?.passwordHash && ok) user = row;
  }
  if (!user) {
    c.get("log").warn("auth.login-failed", { clientAddress: client });
    await throttle.recordFailure(now, () => {
      // Someone is guessing this email's password from many addresses: tell an operator now.
      c.get("log").warn("auth.login-failure-ceiling", { email });
      c.executionCtx.waitUntil(
        evaluateAlerts(c.env, now, c.get("log")).catch((err) =>
          c.get("log").error("alerts.failed", errorFields(err)),
        ),
      );
    });
    throw new InvalidCredentialsError();
  }
  return user;
}

/** A new session for `userId`, written before this returns. */
export async function startSession(c: Context<AppEnv>, userId: string) {
  const db = getDb(c.env.DB);
  const session = await issueSession(db, userId, tokenTtlSeconds(c.env), c.var.clock.now());
  await db.batch(session.statements);
  c.get("log").info("auth.logged-in", { userId });
  return session;
}
