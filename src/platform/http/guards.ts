import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import { D1_BOOKMARK_HEADER } from "../db/sessions";
import { PayloadTooLargeError } from "../errors";
import type { AppEnv } from "./app-env";

const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/**
 * The middleware built for each config value. Config is per deployment, so in practice this builds
 * once per value per isolate; building hono's middleware on every request (closures, joined header
 * lists) was measurable per-request CPU. A few values live side by side (the global body limit and the
 * per-route ones); the cache is bounded in case values keep changing (tests, another binding).
 */
function memoizeByConfig<K>(build: (key: K) => MiddlewareHandler) {
  const built = new Map<K, MiddlewareHandler>();
  return (key: K): MiddlewareHandler => {
    let middleware = built.get(key);
    if (!middleware) {
      if (built.size >= 8) built.clear();
      middleware = build(key);
      built.set(key, middleware);
    }
    return middleware;
  };
}

const bodyLimitFor = memoizeByConfig((maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new PayloadTooLargeError(maxSize);
    },
  }),
);

const DEFAULT_MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** The largest catalog file accepted (MAX_IMPORT_BYTES, default 50 MiB): the route's limit, here with the others. */
export const maxImportBytes = (env: Env): number => Number(env.MAX_IMPORT_BYTES) || DEFAULT_MAX_IMPORT_BYTES;

/**
 * The largest catalog file the merchant workspace's upload form takes (10 MiB, or MAX_IMPORT_BYTES if
 * smaller): a form's multipart body is parsed whole in memory, unlike the API's streamed upload, so a
 * larger file goes to POST /v1/catalog/imports directly.
 */
export const maxPageUploadBytes = (env: Env): number => Math.min(maxImportBytes(env), 10 * 1024 * 1024);

/**
 * Routes that stream their body to storage, by `METHOD path`, with their limit. Only the declared
 * length is checked here; they enforce the limit again while streaming (a chunked body declares none).
 */
const STREAMED_UPLOADS: Readonly<Record<string, (env: Env) => number>> = {
  "POST /v1/catalog/imports": maxImportBytes,
};

/** The declared body length; null when there is none to trust (absent, malformed, or chunked). */
function declaredLength(headers: Headers): number | null {
  const value = headers.get("content-length");
  if (value === null || headers.has("transfer-encoding") || !/^\d{1,16}$/.test(value.trim())) return null;
  return Number(value);
}

/**
 * Page forms that take a file and check its size themselves (`maxPageUploadBytes`), so that a person
 * sent past it gets the form again with a 413, not a JSON problem from here.
 */
const PAGE_UPLOADS: ReadonlySet<string> = new Set(["POST /merchant/imports"]);

/**
 * Routes whose JSON bodies are legitimately larger than MAX_BODY_BYTES, by `METHOD path`, each with
 * its own configured limit. Exact paths only: every other route keeps the global limit.
 */
const ROUTE_BODY_LIMITS: Readonly<Record<string, (env: Env) => number>> = {
  // A batch of up to 500 client events (issue 5).
  "POST /v1/events": (env) => Number(env.ANALYTICS_MAX_BODY_BYTES) || 1024 * 1024,
  // A game day's record carries its Markdown report (up to 256 KiB), escaped as JSON.
  "POST /ops/gamedays": () => 512 * 1024,
};

/**
 * Rejects JSON bodies over MAX_BODY_BYTES (or the route's own limit in ROUTE_BODY_LIMITS) with 413
 * before they are parsed: from the Content-Length header alone when there is one (hono's bodyLimit),
 * so a body that declares too much is never read — a client that declares 60 MiB and stalls gets its
 * answer at once instead of holding the request open. Upload routes check only the declared length
 * here, before authentication, and enforce their own limit while streaming. GET and HEAD requests
 * carry no body to limit, so they skip it without reading the config.
 */
export const jsonBodyLimit = createMiddleware<AppEnv>((c, next) => {
  if (c.req.method === "GET" || c.req.method === "HEAD") return next();
  const route = `${c.req.method} ${c.req.path}`;
  const uploadLimit = STREAMED_UPLOADS[route];
  if (uploadLimit) {
    const limit = uploadLimit(c.env);
    const declared = declaredLength(c.req.raw.headers);
    if (declared !== null && declared > limit) throw new PayloadTooLargeError(limit);
    return next();
  }
  if (PAGE_UPLOADS.has(route)) return next();
  const routeLimit = ROUTE_BODY_LIMITS[route];
  const limit = routeLimit ? routeLimit(c.env) : Number(c.env.MAX_BODY_BYTES) || DEFAULT_MAX_BODY_BYTES;
  return bodyLimitFor(limit)(c, next);
});

/**
 * Headers a browser client needs to read: correlation ids, retry hints, created-resource links and the
 * D1 bookmark it sends back for read-your-writes (src/platform/db/sessions.ts).
 */
const EXPOSED_HEADERS = [
  "x-request-id",
  "traceparent",
  "retry-after",
  "location",
  "idempotent-replayed",
  D1_BOOKMARK_HEADER,
];

const corsFor = memoizeByConfig((configured: string) => {
  const allowList = configured === "*" ? null : configured.split(",").map((o) => o.trim());
  return cors({
    origin: allowList ?? "*",
    allowHeaders: [
      "authorization",
      "content-type",
      "idempotency-key",
      "x-request-id",
      "traceparent",
      D1_BOOKMARK_HEADER,
    ],
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
});

/**
 * CORS from CORS_ORIGINS: `*` or a comma-separated allow-list of origins. A request without an Origin
 * header is not a cross-origin browser request, so it needs no CORS headers (servers, SDKs, curl): it
 * skips the middleware, which is most of the API's traffic and measurable per-request work. Responses
 * still say `Vary: Origin` under an allow-list, so a shared cache never serves one origin's answer to
 * another.
 */
export const corsFromEnv = createMiddleware<AppEnv>(async (c, next) => {
  const configured = (c.env.CORS_ORIGINS ?? "*").trim();
  if (c.req.header("origin") === undefined) {
    await next();
    if (configured !== "*") {
      // Re-wrapped: a proxied response (e.g. the order stream) has immutable headers.
      c.res = new Response(c.res.body, c.res);
      c.res.headers.append("Vary", "Origin");
    }
    return;
  }
  return corsFor(configured)(c, next);
});
