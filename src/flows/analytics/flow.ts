import { defineFlow } from "../../platform/events/registry";
import { analyticsEventsReceived } from "./events";

/** Analytics: client events (POST /v1/events) aggregated into daily product and search metrics. */
export const analyticsFlow = defineFlow({
  name: "analytics",
  events: { [analyticsEventsReceived.type]: analyticsEventsReceived },
  consumers: {
    analytics: {
      description: "Aggregates client events (POST /v1/events) into the daily product and search metrics.",
      producer: "ANALYTICS_QUEUE",
      delivery: { maxBatchSize: 50, maxBatchTimeout: 2, maxRetries: 10, retryDelay: 5 },
      subscribes: [analyticsEventsReceived.type],
    },
  },
});
