import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../platform/http/app-env";
import { crossdockMetrics } from "../../platform/observability/metrics/crossdock-metrics";
import { formatPrometheus, PROMETHEUS_CONTENT_TYPE } from "../../platform/observability/metrics/prometheus";
import type { metricsRoute } from "./metrics.routes";
import { readOpsSnapshot } from "./metrics-snapshot";

export const getMetrics: RouteHandler<typeof metricsRoute, AppEnv> = async (c) => {
  const snapshot = await readOpsSnapshot(c.env, Date.now());
  return c.text(formatPrometheus(crossdockMetrics(snapshot)), 200, {
    "content-type": PROMETHEUS_CONTENT_TYPE,
    "cache-control": "no-store",
  });
};
