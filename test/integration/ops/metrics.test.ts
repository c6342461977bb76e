import { beforeAll, describe, expect, it } from "vitest";
import { call } from "../../support/http";
import {
  clearOpsTables,
  insertAlert,
  insertAttempt,
  insertDeadLetter,
  insertOutboxEvent,
  userRegisteredV1,
} from "../../support/ops";
import { createTestUser } from "../../support/users";

let text: string;
let contentType: string | null;

beforeAll(async () => {
  await clearOpsTables();
  const now = Date.now();
  const email = { consumer: "email", eventType: "user.registered" };
  // Lags chosen to land in known buckets: 5 ms, 80 ms, 2 s (acked), 400 ms (duplicate), 40 s (retried),
  // 300 ms (injected).
  for (const lagMs of [5, 80, 2000]) await insertAttempt({ ...email, outcome: "acked", lagMs });
  await insertAttempt({ ...email, outcome: "duplicate", lagMs: 400 });
  await insertAttempt({ ...email, outcome: "retried", lagMs: 40_000, error: "boom" });
  // Dead-lettered records carry no measured lag and stay out of the histogram.
  await insertAttempt({ ...email, outcome: "dead-lettered", lagMs: 0 });
  // A failure a game-day fault injected: counted on its own, never as a failure (lag 300 ms).
  await insertAttempt({ ...email, outcome: "injected", lagMs: 300, error: "injected: failure-rate fault" });

  await insertOutboxEvent(userRegisteredV1());
  await insertOutboxEvent(userRegisteredV1());
  await insertOutboxEvent(userRegisteredV1(), { createdAt: now - 90_000, publishedAt: null });

  // Stored 10 minutes ago, after retries that began an hour before: age counts from the storing.
  const a = await insertDeadLetter({ firstFailedAt: now - 4_200_000, lastFailedAt: now - 600_000 });
  const b = await insertDeadLetter();
  await insertDeadLetter({ status: "redriven", redrivenAt: now });
  expect(a.sizeBytes + b.sizeBytes).toBeGreaterThan(0);
  deadBytes = a.sizeBytes + b.sizeBytes;

  await insertAlert({ state: "firing", resolvedAt: null });
  await insertAlert();

  const admin = await createTestUser("admin");
  const res = await call("/ops/metrics", { headers: admin.auth });
  expect(res.status).toBe(200);
  contentType = res.headers.get("content-type");
  text = await res.text();
});
let deadBytes = 0;

const value = (series: string): number => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  if (line === undefined) throw new Error(`no series ${series} in:\n${text}`);
  return Number(line.slice(series.length + 1));
};

describe("GET /ops/metrics", () => {
  it("answers Prometheus text format 0.0.4", () => {
    expect(contentType).toContain("text/plain; version=0.0.4");
    expect(text).toContain("# TYPE crossdock_consumer_lag_seconds histogram\n");
    expect(text.endsWith("\n")).toBe(true);
  });

  it("counts deliveries per consumer, type and outcome", () => {
    const labels = 'consumer="email",type="user.registered"';
    expect(value(`crossdock_consumer_deliveries_total{${labels},outcome="acked"}`)).toBe(3);
    expect(value(`crossdock_consumer_deliveries_total{${labels},outcome="duplicate"}`)).toBe(1);
    expect(value(`crossdock_consumer_deliveries_total{${labels},outcome="retried"}`)).toBe(1);
    expect(value(`crossdock_consumer_deliveries_total{${labels},outcome="dead-lettered"}`)).toBe(1);
    expect(value(`crossdock_consumer_deliveries_total{${labels},outcome="injected"}`)).toBe(1);
    expect(value(`crossdock_consumer_delivered_total{${labels}}`)).toBe(7);
    expect(value(`crossdock_consumer_failures_total{${labels}}`)).toBe(2);
  });

  it("buckets lag in seconds, cumulatively", () => {
    const bucket = (le: string) =>
      value(`crossdock_consumer_lag_seconds_bucket{consumer="email",le="${le}"}`);
    expect(["0.01", "0.05", "0.1", "0.5", "1", "5", "30", "60", "300", "+Inf"].map(bucket)).toEqual([
      1, 1, 2, 4, 4, 5, 5, 6, 6, 6,
    ]);
    expect(value('crossdock_consumer_lag_seconds_sum{consumer="email"}')).toBeCloseTo(42.785, 6);
    expect(value('crossdock_consumer_lag_seconds_count{consumer="email"}')).toBe(6);
    // A consumer with no deliveries still has its (empty) histogram.
    expect(value('crossdock_consumer_lag_seconds_count{consumer="user-stats"}')).toBe(0);
  });

  it("reports the outbox, dead letters and firing alerts", () => {
    expect(value('crossdock_events_published_total{type="user.registered"}')).toBe(2);
    expect(value('crossdock_events_published_total{type="ops.alert.raised"}')).toBe(0);
    expect(value("crossdock_outbox_unpublished")).toBe(1);
    expect(value("crossdock_outbox_oldest_unpublished_age_seconds")).toBeGreaterThanOrEqual(90);
    expect(value("crossdock_outbox_oldest_unpublished_age_seconds")).toBeLessThan(120);
    expect(value('crossdock_dead_letters{queue="crossdock-email"}')).toBe(2);
    expect(value('crossdock_dead_letters{queue="crossdock-user-stats"}')).toBe(0);
    expect(value('crossdock_dead_letters_bytes{queue="crossdock-email"}')).toBe(deadBytes);
    const oldest = value('crossdock_dead_letters_oldest_age_seconds{queue="crossdock-email"}');
    expect(oldest).toBeGreaterThanOrEqual(600);
    expect(oldest).toBeLessThan(4200);
    expect(value("crossdock_alerts_firing")).toBe(1);
  });

  it("takes no query parameters", async () => {
    const admin = await createTestUser("admin");
    expect((await call("/ops/metrics?format=json", { headers: admin.auth })).status).toBe(400);
  });
});
