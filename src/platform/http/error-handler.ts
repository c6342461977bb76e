import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { AppError } from "../errors";
import { createLogger, errorFields } from "../observability/logger";
import type { ProblemSlug } from "../problem-types";
import type { AppEnv } from "./app-env";
import { type Problem, problemResponse, problemTypeUri } from "./problem";

/** Hono's own client errors, named with the same problem types our typed errors use. */
const HTTP_PROBLEMS: Record<number, { type: ProblemSlug; title: string }> = {
  400: { type: "bad-request", title: "Bad request" },
  401: { type: "unauthorized", title: "Unauthorized" },
  403: { type: "forbidden", title: "Forbidden" },
  404: { type: "not-found", title: "Not found" },
  405: { type: "method-not-allowed", title: "Method not allowed" },
  413: { type: "payload-too-large", title: "Payload too large" },
  415: { type: "unsupported-media-type", title: "Unsupported media type" },
};

function instanceOf(c: Context<AppEnv>): string {
  return c.get("requestId") ?? "unknown";
}

/** The one place errors become responses: typed errors as RFC 9457 problems, anything else a bare 500. */
export const handleError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof AppError) {
    const problem: Problem = {
      type: problemTypeUri(err.type),
      title: err.title,
      status: err.status,
      detail: err.message,
      instance: instanceOf(c),
      ...err.extensions,
    };
    return problemResponse(problem, err.headers);
  }
  // Hono's own client errors (malformed JSON body, …) are the client's mistake, never a 500.
  if (err instanceof HTTPException && err.status < 500) {
    const known = HTTP_PROBLEMS[err.status] ?? { type: "bad-request", title: "Bad request" };
    return problemResponse({
      type: problemTypeUri(known.type),
      title: known.title,
      status: err.status,
      detail: err.message || known.title,
      instance: instanceOf(c),
    });
  }
  // Unknown: log everything, answer nothing that could leak internals.
  (c.get("log") ?? createLogger()).error("unhandled-error", errorFields(err));
  return problemResponse({
    type: problemTypeUri("internal-error"),
    title: "Internal server error",
    status: 500,
    detail: "Something went wrong on our side. Quote the instance when you contact support.",
    instance: instanceOf(c),
  });
};

export const handleNotFound: NotFoundHandler<AppEnv> = (c) =>
  problemResponse({
    type: problemTypeUri("not-found"),
    title: "Not found",
    status: 404,
    detail: `No route for ${c.req.method} ${c.req.path}.`,
    instance: instanceOf(c),
  });
