import { defineFlow } from "../../platform/events/registry";
import { syntheticFacts } from "../../platform/events/synthetic";
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
      // One client event per copy, under an id of its own (the consumer counts an id once per owner),
      // occurring now (an old template's events could be past the dedup horizon, dropped uncounted).
      synthetic: syntheticFacts(analyticsEventsReceived, ({ ownerId, events }, n, tag, now) => ({
        ownerId,
        events: [{ ...events[0]!, id: `${tag}-${n}`, occurredAt: new Date(now).toISOString() }],
      })),
    },
  },
});
