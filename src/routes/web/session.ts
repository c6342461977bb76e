import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Role } from "../../flows/accounts/schema";
import { SESSION_TOKEN_PREFIX } from "../../flows/accounts/tokens";
import type { AppEnv } from "../../platform/http/app-env";
import { selfApi } from "../../platform/http/pages/self-api";
import { sessionCookie } from "../../platform/http/pages/session-cookie";
import { resolveToken } from "../accounts/authenticate";

/**
 * A buyer's or merchant's session in the browser: the `cds_…` token the API's login or sign-up issued,
 * in `__Host-crossdock-session` (HttpOnly, Secure, SameSite=Lax: a link from an order email arrives
 * signed in; every form is CSRF-checked by hono's `csrf` regardless).
 */
export const WEB_COOKIE = sessionCookie("crossdock-session", "Lax");

export const SIGN_IN_PATH = "/account/login";
export const SIGN_UP_PATH = "/account/signup";
export const SIGN_OUT_PATH = "/account/logout";

type Ctx = Context<AppEnv>;

/**
 * Every page: the signed-in person from the cookie, when there is one and it is still live, as
 * `principal` (what `authenticate` sets for the API). Public pages (the catalog) read it to show who is
 * signed in; pages that need someone use `signedIn(role)`.
 */
export const webSession = createMiddleware<AppEnv>(async (c, next) => {
  const token = WEB_COOKIE.read(c);
  const principal =
    token?.startsWith(SESSION_TOKEN_PREFIX) === true
      ? await resolveToken(c.env, c.executionCtx, token, c.var.clock.now())
      : null;
  if (principal) c.set("principal", principal);
  await next();
});

/** Where to send someone back after signing in: a page of this site, never another one. */
export function safeNext(next: unknown, fallback = "/shop"): string {
  return typeof next === "string" && /^\/(?:shop|merchant|account)(?:[/?#]|$)/.test(next) ? next : fallback;
}

const roleLabel: Record<Role, string> = { buyer: "buyer", merchant: "merchant", admin: "admin" };

/** Thrown when a page needs a signed-in person of a role; webRoutes renders it (303 or 401/403 page). */
export class SignInNeeded extends Error {
  constructor(
    readonly role: Role | undefined,
    readonly wrongRole: boolean,
  ) {
    super(role ? `This page is for ${roleLabel[role]} accounts.` : "Sign in first.");
  }
}

/**
 * A page for signed-in people (of `role`, when given). Asked for without a session, a page (GET)
 * redirects to the sign-in form and back after it; a form post without one is a 401 page, never a silent
 * redirect that would drop what was submitted. Someone of another role gets a 403 page.
 */
export const signedIn = (role?: Role) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const principal = c.get("principal");
    if (!principal) {
      if (c.req.method === "GET" || c.req.method === "HEAD") {
        const url = new URL(c.req.url);
        return c.redirect(`${SIGN_IN_PATH}?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
      }
      throw new SignInNeeded(role, false);
    }
    if (role && principal.role !== role) throw new SignInNeeded(role, true);
    await next();
  });

/** The API as the signed-in person calls it (anonymous when nobody is): see `selfApi`. */
export const apiFor = (c: Ctx) => selfApi(c, WEB_COOKIE.read(c));
