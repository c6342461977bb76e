import type { consumerAttempts } from "./schema";

/**
 * Writes one Analytics Engine data point per delivery when the METRICS dataset is bound: blobs are
 * (consumer, event type, outcome), doubles (durationMs, lagMs, attempt), indexed by consumer. The same
 * facts are kept in D1 (consumer_attempts) for /ops/metrics, so this is an export, never the only copy.
 */
export function recordDeliveryMetrics(
  env: Partial<Pick<Env, "METRICS">>,
  attempts: (typeof consumerAttempts.$inferInsert)[],
) {
  if (!env.METRICS) return;
  for (const a of attempts) {
    env.METRICS.writeDataPoint({
      indexes: [a.consumer],
      blobs: [a.consumer, a.eventType, a.outcome],
      doubles: [a.durationMs, a.lagMs, a.attempt],
    });
  }
}
