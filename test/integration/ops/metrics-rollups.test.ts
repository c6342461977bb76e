import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { MAINTENANCE_STEPS } from "../../../src/maintenance";
import { runMaintenance } from "../../../src/platform/events/maintenance";
import { call } from "../../support/http";
import { clearOpsTables, insertAttempt, insertOutboxEvent, userRegisteredV1 } from "../../support/ops";
import { createTestUser, type TestUser } from "../../support/users";

const HOUR = 3_600_000;
const RETENTION = { OUTBOX_RETENTION_HOURS: "72", DEDUP_RETENTION_HOURS: "24" };
const PRUNE_STEPS = MAINTENANCE_STEPS.filter((s) => s.name.startsWith("prune-"));

/** The cron's prune steps, as of `now`, with short retentions so the test rows qualify. */
async function prune(now: number) {
  expect(await runMaintenance({ ...env, ...RETENTION }, now, PRUNE_STEPS)).toEqual({
    "prune-outbox": "ok",
    "prune-consumer-history": "ok",
    "prune-analytics-event-ids": "ok",
  });
}

const COUNTER =
  /^crossdock_(events_published_total|consumer_(deliveries|delivered|failures)_total|consumer_lag_seconds_(bucket|sum|count))[{ ]/;

let admin: TestUser;

/** Every counter and histogram sample on /ops/metrics, by series. */
async function counters(): Promise<Record<string, number>> {
  const res = await call("/ops/metrics", { headers: admin.auth });
  expect(res.status).toBe(200);
  const lines = (await res.text()).split("\n").filter((l) => COUNTER.test(l));
  return Object.fromEntries(
    lines.map((l) => [l.slice(0, l.lastIndexOf(" ")), Number(l.slice(l.lastIndexOf(" ") + 1))]),
  );
}

const rows = async (table: "outbox" | "consumer_attempts") =>
  (await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>())?.n;

const email = 'consumer="email"';
const pair = `${email},type="user.registered"`;

describe("/ops/metrics counters across a prune", () => {
  const now = Date.now();
  const old = now - 100 * HOUR;

  beforeAll(async () => {
    await clearOpsTables();
    admin = await createTestUser("admin");
    // Past both retentions: published 2 of them, delivered 4 times (one dead-lettered, outside the histogram).
    await insertOutboxEvent(userRegisteredV1({ time: old }));
    await insertOutboxEvent(userRegisteredV1({ time: old }));
    for (const lagMs of [5, 2000]) await insertAttempt({ outcome: "acked", lagMs, startedAt: old });
    await insertAttempt({ outcome: "retried", lagMs: 40_000, startedAt: old, error: "boom" });
    await insertAttempt({ outcome: "dead-lettered", lagMs: 0, startedAt: old });
    // Within both retentions: kept by the first prune.
    await insertOutboxEvent(userRegisteredV1({ time: now - HOUR }));
    await insertAttempt({ outcome: "acked", lagMs: 80, startedAt: now - HOUR });
    await insertAttempt({ outcome: "duplicate", lagMs: 400, startedAt: now - HOUR });
  });

  it("reads the same counters before and after the rows they count are pruned", async () => {
    const before = await counters();
    expect(before[`crossdock_events_published_total{type="user.registered"}`]).toBe(3);
    expect(before[`crossdock_consumer_deliveries_total{${pair},outcome="acked"}`]).toBe(3);
    expect(before[`crossdock_consumer_deliveries_total{${pair},outcome="dead-lettered"}`]).toBe(1);
    expect(before[`crossdock_consumer_failures_total{${pair}}`]).toBe(2);
    expect(before[`crossdock_consumer_lag_seconds_count{${email}}`]).toBe(5);
    expect(before[`crossdock_consumer_lag_seconds_sum{${email}}`]).toBeCloseTo(42.485, 6);
    expect(before[`crossdock_consumer_lag_seconds_bucket{${email},le="0.1"}`]).toBe(2);

    await prune(now);
    expect([await rows("outbox"), await rows("consumer_attempts")]).toEqual([1, 2]);
    expect(await counters()).toEqual(before);

    // A second prune adds to the rollups already there (their ON CONFLICT path) and empties the tables.
    await prune(now + 100 * HOUR);
    expect([await rows("outbox"), await rows("consumer_attempts")]).toEqual([0, 0]);
    expect(await counters()).toEqual(before);
  });

  it("keeps counting new activity on top of what was pruned", async () => {
    const before = await counters();
    await insertOutboxEvent(userRegisteredV1());
    await insertAttempt({ outcome: "acked", lagMs: 30 });
    await insertAttempt({ outcome: "retried", lagMs: 7000, error: "boom" });

    const after = await counters();
    const delta = (series: string) => (after[series] ?? 0) - (before[series] ?? 0);
    expect(delta(`crossdock_events_published_total{type="user.registered"}`)).toBe(1);
    expect(delta(`crossdock_consumer_deliveries_total{${pair},outcome="acked"}`)).toBe(1);
    expect(delta(`crossdock_consumer_deliveries_total{${pair},outcome="retried"}`)).toBe(1);
    expect(delta(`crossdock_consumer_delivered_total{${pair}}`)).toBe(2);
    expect(delta(`crossdock_consumer_failures_total{${pair}}`)).toBe(1);
    expect(delta(`crossdock_consumer_lag_seconds_count{${email}}`)).toBe(2);
    expect(delta(`crossdock_consumer_lag_seconds_sum{${email}}`)).toBeCloseTo(7.03, 6);
    expect(delta(`crossdock_consumer_lag_seconds_bucket{${email},le="0.05"}`)).toBe(1);
    expect(delta(`crossdock_consumer_lag_seconds_bucket{${email},le="5"}`)).toBe(1);
    expect(delta(`crossdock_consumer_lag_seconds_bucket{${email},le="30"}`)).toBe(2);
    for (const [series, value] of Object.entries(before))
      expect(after[series], series).toBeGreaterThanOrEqual(value);
  });
});
