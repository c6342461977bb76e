import { createMiddleware } from "hono/factory";
import { createLogger } from "../observability/logger";
import { continueOrStartTrace, formatTraceparent } from "../observability/traceparent";
import type { AppEnv } from "./app-env";

/** A client's `x-request-id` is kept when it is 1–128 characters of [A-Za-z0-9_-=] (as hono's request-id). */
const CLIENT_REQUEST_ID = /^[\w\-=]{1,128}$/;

/**
 * Names the request and stamps its answer: takes the client's `x-request-id` (or makes a UUID),
 * continues the caller's W3C trace (or starts one), gives the request a logger that puts requestId and
 * traceId on every line, and sets `x-request-id` and `traceparent` on whatever response comes back.
 *
 * It is the one place those two headers are set, and it sets them after everything else has run, so no
 * producer of a response can lose them: a handler's own `new Response`, `app.onError`, `notFound`, the
 * idempotency replay, a Durable Object's response (whose headers may be immutable: it is re-wrapped) or
 * a streamed body. Registered first, so every other middleware runs inside it.
 *
 * @example
 * app.use(requestContext, accessLog, …);
 */
export const requestContext = createMiddleware<AppEnv>(async (c, next) => {
  const sent = c.req.header("x-request-id");
  const requestId = sent !== undefined && CLIENT_REQUEST_ID.test(sent) ? sent : crypto.randomUUID();
  const trace = continueOrStartTrace(c.req.header("traceparent"));
  c.set("requestId", requestId);
  c.set("trace", trace);
  c.set("log", createLogger({ requestId, traceId: trace.traceId, spanId: trace.spanId }));
  await next();
  stampHeaders(c, { "x-request-id": requestId, traceparent: formatTraceparent(trace) });
});

function stampHeaders(c: { res: Response }, headers: Record<string, string>): void {
  const entries = Object.entries(headers);
  try {
    for (const [name, value] of entries) c.res.headers.set(name, value);
  } catch {
    // Immutable headers (a fetch() or Durable Object response): same body and status, new headers.
    const res = new Response(c.res.body, c.res);
    for (const [name, value] of entries) res.headers.set(name, value);
    c.res = res;
  }
}

/** One log line per request, written after the response (including error responses) is known. */
export const accessLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = performance.now();
  await next();
  // Workers freeze timers during I/O-free compute; Date/performance advance on I/O, which is what we want.
  const durationMs = Math.round((performance.now() - started) * 100) / 100;
  const status = c.res.status;
  const fields = {
    method: c.req.method,
    route: c.req.routePath,
    path: c.req.path,
    status,
    durationMs,
    userId: c.get("principal")?.userId,
  };
  if (status >= 500) c.get("log").error("request", fields);
  else c.get("log").info("request", fields);
});
