import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { evaluateAlerts } from "../../../src/flows/ops/alerting";
import { settlements } from "../../../src/flows/settlements/schema";
import { getDb } from "../../../src/platform/db/client";
import { outbox } from "../../../src/platform/events/schema";
import { createLogger } from "../../../src/platform/observability/logger";
import { call } from "../../support/http";
import { createTestJob } from "../../support/jobs";
import { clearOpsTables, insertAlert, insertDeadLetter } from "../../support/ops";
import { createTestUser, type TestUser } from "../../support/users";

interface AlertView {
  id: string;
  rule: string;
  metric: string;
  value: number;
  threshold: number;
  message: string;
  state: string;
  raisedAt: string;
  resolvedAt: string | null;
}
interface Page {
  items: AlertView[];
  nextCursor: string | null;
}

let admin: TestUser;
beforeEach(async () => {
  await clearOpsTables();
  admin = await createTestUser("admin");
});

const list = async (query = "") => {
  const res = await call(`/ops/alerts${query}`, { headers: admin.auth });
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
};
const evaluate = async () => {
  const res = await call("/ops/alerts/evaluate", { method: "POST", headers: admin.auth });
  expect(res.status).toBe(200);
  return (await res.json()) as { raised: string[]; resolved: string[] };
};

describe("GET /ops/alerts", () => {
  it("lists newest first, filters by state and pages", async () => {
    const t = Date.now() - 60_000;
    const old = await insertAlert({ raisedAt: t, resolvedAt: t + 10 });
    const mid = await insertAlert({ raisedAt: t + 1000, resolvedAt: t + 2000 });
    const firing = await insertAlert({ raisedAt: t + 5000, state: "firing", resolvedAt: null });

    const all = await list();
    expect(all.items.map((a) => a.id)).toEqual([firing.id, mid.id, old.id]);
    expect(all.items[2]).toEqual({
      id: old.id,
      rule: old.rule,
      metric: "dead_letters.count",
      value: 5,
      threshold: 1,
      message: old.message,
      state: "resolved",
      raisedAt: new Date(t).toISOString(),
      resolvedAt: new Date(t + 10).toISOString(),
    });
    expect((await list("?state=firing")).items.map((a) => a.id)).toEqual([firing.id]);
    expect((await list("?state=resolved")).items.map((a) => a.id)).toEqual([mid.id, old.id]);

    const first = await list("?limit=2");
    expect(first.items).toHaveLength(2);
    const second = await list(`?limit=2&cursor=${first.nextCursor}`);
    expect(second).toEqual({ items: [expect.objectContaining({ id: old.id })], nextCursor: null });
  });

  it("rejects unknown params, bad states and a cursor from another filter", async () => {
    await insertAlert();
    await insertAlert();
    const first = await list("?limit=1");
    for (const q of [
      "?severity=high",
      "?state=open",
      `?state=firing&cursor=${first.nextCursor}`,
      "?cursor=x!",
    ]) {
      expect((await call(`/ops/alerts${q}`, { headers: admin.auth })).status).toBe(400);
    }
  });
});

describe("POST /ops/alerts/evaluate", () => {
  it("raises the age rule when the oldest dead letter is over ALERT_DLQ_MAX_AGE_SECONDS, then resolves it", async () => {
    expect(await evaluate()).toEqual({ raised: [], resolved: [] });

    const twoHoursAgo = Date.now() - 2 * 3_600_000;
    const dl = await insertDeadLetter({ firstFailedAt: twoHoursAgo, lastFailedAt: twoHoursAgo });
    expect(await evaluate()).toEqual({ raised: ["dead-letters-oldest-age"], resolved: [] });
    // Only transitions are news: evaluating again raises nothing new.
    expect(await evaluate()).toEqual({ raised: [], resolved: [] });

    const firing = await list("?state=firing");
    expect(firing.items).toHaveLength(1);
    expect(firing.items[0]).toMatchObject({
      rule: "dead-letters-oldest-age",
      metric: "dead_letters.oldest_age_seconds",
      threshold: Number(env.ALERT_DLQ_MAX_AGE_SECONDS),
      state: "firing",
      resolvedAt: null,
    });
    expect(firing.items[0]?.value).toBeGreaterThanOrEqual(7200);

    // The alert is also a fact: an ops.alert.raised event in the outbox, for the operators' email.
    const event = await env.DB.prepare("SELECT type, correlation_id FROM outbox WHERE subject = ?")
      .bind(firing.items[0]?.id)
      .first<{ type: string; correlation_id: string }>();
    expect(event).toEqual({ type: "ops.alert.raised", correlation_id: firing.items[0]?.id });

    await call(`/ops/dead-letters/${dl.id}`, { method: "DELETE", headers: admin.auth });
    expect(await evaluate()).toEqual({ raised: [], resolved: ["dead-letters-oldest-age"] });
    expect((await list("?state=resolved")).items[0]).toMatchObject({
      rule: "dead-letters-oldest-age",
      resolvedAt: expect.any(String),
    });
  });

  it("raises the age rule within 5 minutes of a single dead letter's storing, not of its first failure", async () => {
    const log = createLogger({}, () => {});
    const stored = Date.now();
    // Its retries (with backoff) began two hours before it was stored.
    await insertDeadLetter({ firstFailedAt: stored - 2 * 3_600_000, lastFailedAt: stored });
    expect((await evaluateAlerts(env, stored + 60_000, log)).raised).toEqual([]);
    expect((await evaluateAlerts(env, stored + 4 * 60_000, log)).raised).toEqual([]);
    expect((await evaluateAlerts(env, stored + 5 * 60_000, log)).raised).toEqual(["dead-letters-oldest-age"]);
    expect((await list("?state=firing")).items[0]).toMatchObject({
      rule: "dead-letters-oldest-age",
      value: 300,
      threshold: 240,
    });
  });

  it("counts a dead letter that died again after a redrive from its new storing", async () => {
    const log = createLogger({}, () => {});
    const now = Date.now();
    await insertDeadLetter({ firstFailedAt: now - 86_400_000, lastFailedAt: now, attempts: 12 });
    expect((await evaluateAlerts(env, now + 60_000, log)).raised).toEqual([]);
  });

  it("raises the count rule past ALERT_DLQ_MAX_COUNT dead letters", async () => {
    const max = Number(env.ALERT_DLQ_MAX_COUNT);
    const now = Date.now();
    const statements = Array.from({ length: max + 1 }, (_, i) =>
      env.DB.prepare(
        `INSERT INTO dead_letters (id, origin_queue, consumer, event_id, event_type, envelope, last_error,
           attempts, first_failed_at, last_failed_at, size_bytes, status)
         VALUES (?, 'crossdock-email', 'email', ?, 'user.registered', '{}', 'boom', 6, ?, ?, 2, 'dead')`,
      ).bind(`dlq_count_${i}`, `evt_count_${i}`, now, now),
    );
    await env.DB.batch(statements);
    expect((await evaluate()).raised).toEqual(["dead-letters-count"]);
  });
});

describe("alerts on work that needs a person", () => {
  const fact = (type: string, createdAt: number) =>
    getDb(env.DB)
      .insert(outbox)
      .values({
        id: `evt_${crypto.randomUUID()}`,
        type,
        subject: "ord_alerted",
        correlationId: "req_alerted",
        envelope: "{}",
        createdAt,
        publishedAt: createdAt,
      });

  it("raises checkout-failures for a saga that stalled or a capture that failed in the last hour", async () => {
    await fact("order.saga_stalled", Date.now() - 2 * 3_600_000);
    await fact("order.confirmed", Date.now());
    expect(await evaluate()).toEqual({ raised: [], resolved: [] });
    await fact("payment.capture_failed", Date.now() - 60_000);
    expect(await evaluate()).toEqual({ raised: ["checkout-failures"], resolved: [] });
    expect((await list("?state=firing")).items[0]).toMatchObject({
      metric: "orders.stalled_or_capture_failed_last_hour",
      value: 1,
      threshold: 0,
    });
  });

  it("raises jobs-stalled for a job that stopped moving, and resolves it once the job ends", async () => {
    const id = await createTestJob(admin.id);
    expect(await evaluate()).toEqual({ raised: [], resolved: [] });
    const stale = Date.now() - (Number(env.ALERT_JOB_STALL_SECONDS) + 60) * 1000;
    await env.DB.prepare("UPDATE jobs SET status = 'running', updated_at = ? WHERE id = ?")
      .bind(stale, id)
      .run();
    expect(await evaluate()).toEqual({ raised: ["jobs-stalled"], resolved: [] });
    await env.DB.prepare("UPDATE jobs SET status = 'failed' WHERE id = ?").bind(id).run();
    expect(await evaluate()).toEqual({ raised: [], resolved: ["jobs-stalled"] });
  });

  it("raises settlements-failed while a refused payout waits for an operator", async () => {
    const day = Date.UTC(2026, 10, 1);
    await getDb(env.DB)
      .insert(settlements)
      .values({
        id: "stl_alerted",
        merchantId: "usr_alerted",
        periodStart: day,
        periodEnd: day + 86_400_000,
        currency: "USD",
        status: "failed",
        createdAt: Date.now(),
      });
    expect(await evaluate()).toEqual({ raised: ["settlements-failed"], resolved: [] });
    await env.DB.prepare("UPDATE settlements SET status = 'settled' WHERE id = 'stl_alerted'").run();
    expect(await evaluate()).toEqual({ raised: [], resolved: ["settlements-failed"] });
  });
});
