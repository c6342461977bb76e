import { describe, expect, it } from "vitest";
import {
  crossdockMetrics,
  type OpsSnapshot,
} from "../../../../../src/platform/observability/metrics/crossdock-metrics";
import { formatPrometheus } from "../../../../../src/platform/observability/metrics/prometheus";

const NOW = Date.UTC(2026, 0, 1, 12);

const snapshot = (overrides: Partial<OpsSnapshot> = {}): OpsSnapshot => ({
  now: NOW,
  published: [],
  outbox: { unpublished: 0, oldestCreatedAt: null },
  deliveries: [],
  lag: [],
  deadLetters: [],
  unacked: [],
  alertsFiring: 0,
  ...overrides,
});

const lines = (s: OpsSnapshot) => formatPrometheus(crossdockMetrics(s)).split("\n");

describe("crossdockMetrics", () => {
  it("gives every (consumer, type) pair every outcome and derives delivered and failures", () => {
    const out = lines(
      snapshot({
        deliveries: [
          { consumer: "email", type: "user.registered", outcome: "acked", count: 3 },
          { consumer: "email", type: "user.registered", outcome: "retried", count: 2 },
          { consumer: "email", type: "user.registered", outcome: "dead-lettered", count: 1 },
          { consumer: "email", type: "user.registered", outcome: "duplicate", count: 1 },
          { consumer: "email", type: "user.registered", outcome: "injected", count: 5 },
          { consumer: "user-stats", type: "user.registered", outcome: "acked", count: 4 },
        ],
      }),
    );
    expect(out).toEqual(
      expect.arrayContaining([
        'crossdock_consumer_deliveries_total{consumer="email",type="user.registered",outcome="acked"} 3',
        'crossdock_consumer_deliveries_total{consumer="email",type="user.registered",outcome="duplicate"} 1',
        'crossdock_consumer_deliveries_total{consumer="email",type="user.registered",outcome="injected"} 5',
        'crossdock_consumer_deliveries_total{consumer="user-stats",type="user.registered",outcome="retried"} 0',
        'crossdock_consumer_deliveries_total{consumer="user-stats",type="user.registered",outcome="injected"} 0',
        'crossdock_consumer_delivered_total{consumer="email",type="user.registered"} 12',
        // Injected failures are a game day's doing, never counted as the system failing.
        'crossdock_consumer_failures_total{consumer="email",type="user.registered"} 3',
        'crossdock_consumer_failures_total{consumer="user-stats",type="user.registered"} 0',
      ]),
    );
  });

  it("turns oldest timestamps into ages in whole seconds, 0 when there is nothing", () => {
    const out = lines(
      snapshot({
        outbox: { unpublished: 2, oldestCreatedAt: NOW - 90_500 },
        deadLetters: [
          { queue: "crossdock-email", count: 2, bytes: 300, oldestStoredAt: NOW - 7_200_000 },
          { queue: "crossdock-user-stats", count: 0, bytes: 0, oldestStoredAt: null },
        ],
        alertsFiring: 1,
      }),
    );
    expect(out).toEqual(
      expect.arrayContaining([
        "crossdock_outbox_unpublished 2",
        "crossdock_outbox_oldest_unpublished_age_seconds 90",
        'crossdock_dead_letters{queue="crossdock-email"} 2',
        'crossdock_dead_letters_bytes{queue="crossdock-email"} 300',
        'crossdock_dead_letters_oldest_age_seconds{queue="crossdock-email"} 7200',
        'crossdock_dead_letters_oldest_age_seconds{queue="crossdock-user-stats"} 0',
        "crossdock_alerts_firing 1",
      ]),
    );
    expect(lines(snapshot())).toContain("crossdock_outbox_oldest_unpublished_age_seconds 0");
  });

  it("writes the lag histogram in seconds with the fixed buckets", () => {
    const out = lines(
      snapshot({
        lag: [{ consumer: "email", buckets: [1, 1, 2, 2, 2, 3, 3, 3, 3], sumMs: 6_520, count: 4 }],
      }),
    );
    const lag = out.filter((l) => l.startsWith("crossdock_consumer_lag_seconds_"));
    expect(lag).toEqual([
      'crossdock_consumer_lag_seconds_bucket{consumer="email",le="0.01"} 1',
      'crossdock_consumer_lag_seconds_bucket{consumer="email",le="0.05"} 1',
      'crossdock_consumer_lag_seconds_bucket{consumer="email",le="0.1"} 2',
      'crossdock_consumer_lag_seconds_bucket{consumer="email",le="0.5"} 2',
      'crossdock_consumer_lag_seconds_bucket{consumer="email",le="1"} 2',
      'crossdock_consumer_lag_seconds_bucket{consumer="email",le="5"} 3',
      'crossdock_consumer_lag_seconds_bucket{consumer="email",le="30"} 3',
      'crossdock_consumer_lag_seconds_bucket{consumer="email",le="60"} 3',
      'crossdock_consumer_lag_seconds_bucket{consumer="email",le="300"} 3',
      'crossdock_consumer_lag_seconds_bucket{consumer="email",le="+Inf"} 4',
      'crossdock_consumer_lag_seconds_sum{consumer="email"} 6.52',
      'crossdock_consumer_lag_seconds_count{consumer="email"} 4',
    ]);
  });

  it("declares every family once, with its type", () => {
    const types = lines(snapshot()).filter((l) => l.startsWith("# TYPE"));
    expect(types).toEqual([
      "# TYPE crossdock_events_published_total counter",
      "# TYPE crossdock_outbox_unpublished gauge",
      "# TYPE crossdock_outbox_oldest_unpublished_age_seconds gauge",
      "# TYPE crossdock_consumer_deliveries_total counter",
      "# TYPE crossdock_consumer_delivered_total counter",
      "# TYPE crossdock_consumer_failures_total counter",
      "# TYPE crossdock_consumer_lag_seconds histogram",
      "# TYPE crossdock_dead_letters gauge",
      "# TYPE crossdock_dead_letters_bytes gauge",
      "# TYPE crossdock_dead_letters_oldest_age_seconds gauge",
      "# TYPE crossdock_deliveries_unacked gauge",
      "# TYPE crossdock_deliveries_unacked_oldest_age_seconds gauge",
      "# TYPE crossdock_alerts_firing gauge",
    ]);
  });

  it("reports unacknowledged deliveries per consumer and state, and the oldest per consumer", () => {
    const out = lines(
      snapshot({
        unacked: [
          { consumer: "email", state: "queued", count: 2, oldestPublishedAt: NOW - 90_000 },
          { consumer: "email", state: "retrying", count: 1, oldestPublishedAt: NOW - 30_000 },
          { consumer: "user-stats", state: "queued", count: 0, oldestPublishedAt: null },
        ],
      }),
    );
    expect(out).toContain('crossdock_deliveries_unacked{consumer="email",state="queued"} 2');
    expect(out).toContain('crossdock_deliveries_unacked{consumer="email",state="retrying"} 1');
    expect(out).toContain('crossdock_deliveries_unacked_oldest_age_seconds{consumer="email"} 90');
    expect(out).toContain('crossdock_deliveries_unacked_oldest_age_seconds{consumer="user-stats"} 0');
  });
});
