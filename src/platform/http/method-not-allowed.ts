import type { NotFoundHandler } from "hono";
import { METHOD_NAME_ALL } from "hono/router";
import { TrieRouter } from "hono/router/trie-router";
import { MethodNotAllowedError } from "../errors";
import type { AppEnv } from "./app-env";

/** The order RFC 9110 lists methods in; Allow is written in it so the header is stable. */
const METHOD_ORDER = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

interface RegisteredRoute {
  method: string;
  path: string;
}

/** Every path pattern the app answers, indexed by Hono's own router so `:id` and regex params match alike. */
function indexRoutes(routes: readonly RegisteredRoute[]): TrieRouter<string> {
  const router = new TrieRouter<string>();
  // Middleware is registered for every method (ALL) and answers no path by itself: not a route.
  for (const r of routes) if (r.method !== METHOD_NAME_ALL) router.add(METHOD_NAME_ALL, r.path, r.method);
  return router;
}

/**
 * The methods a path supports, from the routes the app registered: HEAD wherever GET is (Hono answers
 * HEAD with the GET handler, minus the body) and OPTIONS on every known path. Empty for an unknown path.
 */
export function allowedMethods(router: TrieRouter<string>, path: string): string[] {
  const found = new Set(router.match("GET", path)[0].map(([method]) => method));
  if (found.size === 0) return [];
  if (found.has("GET")) found.add("HEAD");
  found.add("OPTIONS");
  return METHOD_ORDER.filter((m) => found.has(m));
}

/**
 * Wraps the app's not-found handler so that a known path asked with another method is a 405
 * `method-not-allowed` with `Allow` (RFC 9110 §15.5.6), and a plain OPTIONS on it (not a CORS preflight,
 * which the CORS middleware answers first) is a 204 with `Allow`. Derived from `app.routes` on first use,
 * when every route is registered, so a new route can never be missing from Allow.
 *
 * @example
 * app.notFound(methodNotAllowedOr(app, handleNotFound));
 */
export function methodNotAllowedOr(
  app: { routes: readonly RegisteredRoute[] },
  notFound: NotFoundHandler<AppEnv>,
): NotFoundHandler<AppEnv> {
  let router: TrieRouter<string> | undefined;
  return (c) => {
    router ??= indexRoutes(app.routes);
    const allow = allowedMethods(router, c.req.path);
    if (allow.length === 0) return notFound(c);
    if (c.req.method === "OPTIONS") return c.body(null, 204, { Allow: allow.join(", ") });
    throw new MethodNotAllowedError(c.req.method, c.req.path, allow);
  };
}
