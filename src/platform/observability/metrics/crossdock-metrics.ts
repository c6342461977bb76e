import { histogramSamples, type MetricFamily } from "./prometheus";

/** Upper bounds of the consumer lag histogram, in seconds (`+Inf` is implied). */
export const LAG_BUCKETS_SECONDS = [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60, 300] as const;

/** The outcomes a consumer attempt can have, in the order they are printed. */
const OUTCOMES = ["acked", "retried", "dead-lettered", "duplicate", "injected"] as const;
/**
 * Outcomes that count as a failed delivery. `injected` (a failure a game-day fault caused on purpose)
 * is not one: it has its own outcome series, so a fault never reads as the system failing.
 */
export const FAILED_OUTCOMES: ReadonlySet<string> = new Set(["retried", "dead-lettered"]);

/**
 * Aggregates read from D1 at one instant. Counts are all-time: the rows still in their tables plus
 * what pruning rolled up before deleting, so they only grow.
 */
export interface OpsSnapshot {
  now: number;
  published: readonly { type: string; count: number }[];
  outbox: { unpublished: number; oldestCreatedAt: number | null };
  deliveries: readonly { consumer: string; type: string; outcome: string; count: number }[];
  /** Per consumer: cumulative counts for each of LAG_BUCKETS_SECONDS, in order. */
  lag: readonly { consumer: string; buckets: readonly number[]; sumMs: number; count: number }[];
  deadLetters: readonly { queue: string; count: number; bytes: number; oldestStoredAt: number | null }[];
  /** Per consumer and state: deliveries not acknowledged past the grace period (every consumer listed). */
  unacked: readonly { consumer: string; state: string; count: number; oldestPublishedAt: number | null }[];
  alertsFiring: number;
}

/** Whole seconds since `since`, never negative; 0 when there is nothing (`null`). */
export const ageSeconds = (since: number | null, now: number) =>
  since === null ? 0 : Math.max(0, Math.floor((now - since) / 1000));

/** Sums counts by a key, keeping the order in which keys first appear. */
function sumBy<T>(rows: readonly T[], key: (r: T) => string, count: (r: T) => number) {
  const out = new Map<string, number>();
  for (const r of rows) out.set(key(r), (out.get(key(r)) ?? 0) + count(r));
  return out;
}

/**
 * The metric families /ops/metrics exposes, from one snapshot. Every (consumer, type) pair that has
 * any delivery gets every outcome, zeros included, so `rate()` and ratios never miss a series.
 */
export function crossdockMetrics(s: OpsSnapshot): MetricFamily[] {
  const pairs = sumBy(
    s.deliveries,
    (d) => JSON.stringify([d.consumer, d.type]),
    (d) => d.count,
  );
  const byOutcome = sumBy(
    s.deliveries,
    (d) => JSON.stringify([d.consumer, d.type, d.outcome]),
    (d) => d.count,
  );
  const failures = sumBy(
    s.deliveries.filter((d) => FAILED_OUTCOMES.has(d.outcome)),
    (d) => JSON.stringify([d.consumer, d.type]),
    (d) => d.count,
  );
  const pairLabels = [...pairs.keys()].map((k) => {
    const [consumer, type] = JSON.parse(k) as [string, string];
    return { key: k, labels: { consumer, type } };
  });

  return [
    {
      name: "crossdock_events_published_total",
      help: "Events published from the outbox to their queues, by type.",
      type: "counter",
      samples: s.published.map((p) => ({ labels: { type: p.type }, value: p.count })),
    },
    {
      name: "crossdock_outbox_unpublished",
      help: "Events in the outbox not yet published.",
      type: "gauge",
      samples: [{ value: s.outbox.unpublished }],
    },
    {
      name: "crossdock_outbox_oldest_unpublished_age_seconds",
      help: "Age of the oldest unpublished outbox event; 0 when there is none.",
      type: "gauge",
      samples: [{ value: ageSeconds(s.outbox.oldestCreatedAt, s.now) }],
    },
    {
      name: "crossdock_consumer_deliveries_total",
      help: "Deliveries handled by a consumer, by event type and outcome (acked, retried, dead-lettered, duplicate, injected).",
      type: "counter",
      samples: pairLabels.flatMap(({ labels }) =>
        OUTCOMES.map((outcome) => ({
          labels: { ...labels, outcome },
          value: byOutcome.get(JSON.stringify([labels.consumer, labels.type, outcome])) ?? 0,
        })),
      ),
    },
    {
      name: "crossdock_consumer_delivered_total",
      help: "Deliveries handled by a consumer, by event type, whatever their outcome.",
      type: "counter",
      samples: pairLabels.map(({ key, labels }) => ({ labels, value: pairs.get(key) ?? 0 })),
    },
    {
      name: "crossdock_consumer_failures_total",
      help: "Failed deliveries (retried or dead-lettered), by consumer and event type; failures a fault injected are outcome injected, not counted here.",
      type: "counter",
      samples: pairLabels.map(({ key, labels }) => ({ labels, value: failures.get(key) ?? 0 })),
    },
    {
      name: "crossdock_consumer_lag_seconds",
      help: "Consume time minus event time, per consumer (dead-lettered records excluded).",
      type: "histogram",
      samples: s.lag.flatMap((l) =>
        histogramSamples(
          { consumer: l.consumer },
          LAG_BUCKETS_SECONDS.map((le, i) => ({ le, count: l.buckets[i] ?? 0 })),
          l.sumMs / 1000,
          l.count,
        ),
      ),
    },
    {
      name: "crossdock_dead_letters",
      help: "Dead letters waiting (status dead), by origin queue.",
      type: "gauge",
      samples: s.deadLetters.map((d) => ({ labels: { queue: d.queue }, value: d.count })),
    },
    {
      name: "crossdock_dead_letters_bytes",
      help: "Total size of the waiting dead letters' envelopes, by origin queue.",
      type: "gauge",
      samples: s.deadLetters.map((d) => ({ labels: { queue: d.queue }, value: d.bytes })),
    },
    {
      name: "crossdock_dead_letters_oldest_age_seconds",
      help: "Age of the oldest waiting dead letter (since it was stored), by origin queue; 0 when none.",
      type: "gauge",
      samples: s.deadLetters.map((d) => ({
        labels: { queue: d.queue },
        value: ageSeconds(d.oldestStoredAt, s.now),
      })),
    },
    {
      name: "crossdock_deliveries_unacked",
      help: "Deliveries a subscribed consumer has not acknowledged past the grace period, by consumer and state (queued, retrying, dead-lettered).",
      type: "gauge",
      samples: s.unacked.map((d) => ({ labels: { consumer: d.consumer, state: d.state }, value: d.count })),
    },
    {
      name: "crossdock_deliveries_unacked_oldest_age_seconds",
      help: "Age since first sent of the oldest unacknowledged delivery, by consumer; 0 when none.",
      type: "gauge",
      samples: [
        ...sumBy(
          s.unacked,
          (d) => d.consumer,
          () => 0,
        ).keys(),
      ].map((consumer) => ({
        labels: { consumer },
        value: ageSeconds(
          s.unacked
            .filter((d) => d.consumer === consumer && d.oldestPublishedAt !== null)
            .reduce<number | null>(
              (m, d) => (m === null ? d.oldestPublishedAt : Math.min(m, d.oldestPublishedAt!)),
              null,
            ),
          s.now,
        ),
      })),
    },
    {
      name: "crossdock_alerts_firing",
      help: "Alerts currently firing.",
      type: "gauge",
      samples: [{ value: s.alertsFiring }],
    },
  ];
}
