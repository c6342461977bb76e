import { createMiddleware } from "hono/factory";
import { requestId } from "hono/request-id";
import { createLogger } from "../observability/logger";
import { continueOrStartTrace, formatTraceparent } from "../observability/traceparent";
import type { AppEnv } from "./app-env";

/** Accepted from clients when it is 1–128 characters of [A-Za-z0-9_-=]; otherwise a UUID is generated. */
export const requestIdMiddleware = requestId({ headerName: "x-request-id", limitLength: 128 });

/**
 * Continues the caller's W3C trace (or starts one), echoes `traceparent`, and gives the request a
 * logger that stamps requestId and traceId on every line. Runs right after `requestIdMiddleware`.
 */
export const traceContext = createMiddleware<AppEnv>(async (c, next) => {
  const trace = continueOrStartTrace(c.req.header("traceparent"));
  c.set("trace", trace);
  c.set("log", createLogger({ requestId: c.get("requestId"), traceId: trace.traceId, spanId: trace.spanId }));
  c.header("traceparent", formatTraceparent(trace));
  await next();
});

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
