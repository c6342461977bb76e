import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { SESSION_TOKEN_PREFIX } from "../../flows/accounts/tokens";
import { ForbiddenError, UnauthorizedError } from "../../platform/errors";
import type { AppEnv } from "../../platform/http/app-env";
import { sessionCookie } from "../../platform/http/pages/session-cookie";
import { resolveToken } from "../accounts/authenticate";
import { audited } from "../ops/audit";

/**
 * The console's session: an admin's session token (the same `cds_…` the API's login issues) in
 * `__Host-crossdock-console`, SameSite=Strict: never sent on a request another site started.
 */
export const CONSOLE_COOKIE = sessionCookie("crossdock-console", "Strict");

export const SIGN_IN_PATH = "/console/login";
/** Open to anyone: signing out with a session that already ended still clears the cookie. */
export const SIGN_OUT_PATH = "/console/logout";

type Ctx = Context<AppEnv>;

export const setConsoleCookie = (c: Ctx, token: string, expiresAt: number) =>
  CONSOLE_COOKIE.set(c, token, expiresAt);
export const clearConsoleCookie = (c: Ctx) => CONSOLE_COOKIE.clear(c);
export const consoleToken = (c: Ctx): string | undefined => CONSOLE_COOKIE.read(c);

/** Where to send someone back after signing in: a console page of ours, never another site. */
export function safeNext(next: unknown): string {
  return typeof next === "string" && /^\/console(?:[/?#]|$)/.test(next) && !next.startsWith("//")
    ? next
    : "/console";
}

/**
 * Every console page but the sign-in form: an admin's live session from the cookie, set as `principal`
 * as `authenticate` does for the API. A page asked for without one redirects to the sign-in form (and
 * back after it); an action (POST) without one is a 401 problem, never a silent redirect that would drop
 * what was submitted. A signed-in non-admin is a 403.
 */
export const consoleSession = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.path === SIGN_IN_PATH || c.req.path === SIGN_OUT_PATH) return next();
  const token = consoleToken(c);
  const principal =
    token?.startsWith(SESSION_TOKEN_PREFIX) === true
      ? await resolveToken(c.env, c.executionCtx, token, c.var.clock.now())
      : null;
  if (!principal) {
    if (c.req.method === "GET" || c.req.method === "HEAD") {
      const url = new URL(c.req.url);
      const next = encodeURIComponent(url.pathname + url.search);
      return c.redirect(`${SIGN_IN_PATH}?next=${next}`, 303);
    }
    throw new UnauthorizedError("Sign in to the console first.");
  }
  if (principal.role !== "admin") throw new ForbiddenError("The console is for admin accounts.");
  c.set("principal", principal);
  await next();
});

/**
 * Declares a console route an operator action, written to the audit log (`/ops/audit`) under `action`
 * like its /ops twin. The session is already checked for every console route; this adds the audit.
 *
 * @example
 * routes.post("/console/dead-letters/:id/discard", consoleAction("dead-letters.discard"), handler)
 */
export const consoleAction = (action: string) => audited(action);
