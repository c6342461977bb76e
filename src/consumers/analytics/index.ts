import { metricRows } from "../../flows/analytics/metrics";
import type { D1Consumer } from "../../platform/events/consumer";
import { countEventsStatements } from "./count-events";

/**
 * Keeps the daily product and search metrics from `analytics.events_received`. Each client event is
 * counted once: its id (per sending account) is recorded in the same batch that adds it to the
 * counters, and an id already recorded adds nothing. That covers the client resending an event and the
 * queue redelivering a message alike, independently of the runtime's own per-message dedup.
 */
export const analyticsConsumer = {
  name: "analytics",
  effect: "d1",
  handle(event, { db, now, log }) {
    switch (event.type) {
      case "analytics.events_received": {
        const { rows, late } = metricRows(event.data.events, now);
        if (late.length > 0) {
          // Only after days stuck in the queue: past the dedup horizon a count could be a double count.
          log.warn("analytics.late-events-dropped", {
            count: late.length,
            clientEventIds: late.slice(0, 20),
          });
        }
        if (rows.length === 0) return [];
        // Fresh per handling, never reused: see countEventsStatements.
        const tag = `${event.id}:${crypto.randomUUID()}`;
        return countEventsStatements(db, { ownerId: event.data.ownerId, rows, tag, now });
      }
      default: {
        const unhandled: never = event.type;
        throw new Error(`analytics: unexpected event type ${String(unhandled)}`);
      }
    }
  },
} satisfies D1Consumer<"analytics.events_received">;
