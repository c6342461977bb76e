import { createRoute, z } from "@hono/zod-openapi";
import { bearerAuth } from "../../platform/http/openapi";
import { adminOnly, TAGS } from "./ops.shared";

export const metricsRoute = createRoute({
  method: "get",
  path: "/ops/metrics",
  tags: TAGS,
  summary: "Event backbone metrics in the Prometheus text format",
  description:
    "Per topic and consumer: published, delivered, acked, retried, failed, dead-lettered, duplicates " +
    "skipped and lag; dead letters, outbox backlog and firing alerts as gauges. Counters are " +
    "all-time and survive the pruning of the tables they are read from (see docs/OPERATIONS.md).",
  security: bearerAuth,
  middleware: [adminOnly] as const,
  request: { query: z.strictObject({}) },
  responses: {
    200: {
      description: "Prometheus exposition format 0.0.4",
      content: { "text/plain; version=0.0.4": { schema: z.string() } },
    },
  },
});
