import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import { PayloadTooLargeError } from "../errors";
import type { AppEnv } from "./app-env";

const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/**
 * Rejects JSON bodies over MAX_BODY_BYTES with 413 before they are parsed. Upload routes that accept
 * large files opt out by path and enforce their own limit while streaming.
 */
export const jsonBodyLimit = createMiddleware<AppEnv>((c, next) => {
  const maxSize = Number(c.env.MAX_BODY_BYTES) || DEFAULT_MAX_BODY_BYTES;
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new PayloadTooLargeError(maxSize);
    },
  })(c, next);
});

/** Headers a browser client needs to read: correlation ids, retry hints and created-resource links. */
const EXPOSED_HEADERS = ["x-request-id", "traceparent", "retry-after", "location", "idempotent-replayed"];

/** CORS from CORS_ORIGINS: `*` or a comma-separated allow-list of origins. */
export const corsFromEnv = createMiddleware<AppEnv>((c, next) => {
  const configured = (c.env.CORS_ORIGINS ?? "*").trim();
  const allowList = configured === "*" ? null : configured.split(",").map((o) => o.trim());
  return cors({
    origin: allowList ?? "*",
    allowHeaders: ["authorization", "content-type", "idempotency-key", "x-request-id", "traceparent"],
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  })(c, next);
});
