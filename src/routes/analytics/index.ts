import { createRouter } from "../../platform/http/router";
import { ingestEventsHandler, productDailyMetricsHandler } from "./analytics.handlers";
import { ingestEvents, ingestEventsHook, productDailyMetrics } from "./analytics.routes";
import { clientEventComponent } from "./analytics.schemas";

/** Client analytics: report events (POST /v1/events) and read a product's daily metrics. */
export const analyticsRoutes = createRouter()
  .openapi(ingestEvents, ingestEventsHandler, ingestEventsHook)
  .openapi(productDailyMetrics, productDailyMetricsHandler);

// Documented once as a component: the request's `events` items refer to it.
analyticsRoutes.openAPIRegistry.registerComponent("schemas", "ClientEvent", clientEventComponent());
