import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { evaluateAlerts } from "../../../src/flows/ops/alerting";
import { deliveryPolicy, reconcileDeliveries } from "../../../src/platform/events/reconciler";
import { createLogger } from "../../../src/platform/observability/logger";
import { aRegistration, insertOutboxRow } from "../../support/events";
import { call } from "../../support/http";
import { clearOpsTables } from "../../support/ops";
import { withoutQueueMetrics } from "../../support/queues";
import { createTestUser, type TestUser } from "../../support/users";

interface Delivery {
  consumer: string;
  eventId: string;
  eventType: string;
  state: string;
  resends: number;
  ageSeconds: number;
  lastError: string | null;
}
interface Page {
  items: Delivery[];
  nextCursor: string | null;
}

const log = createLogger({ test: "ops-deliveries" });
const GRACE = deliveryPolicy(env).graceMs;
/** Queues that take nothing, so the re-sent facts stay unacknowledged for the test to look at. */
const silent = { sendBatch: async () => undefined, send: async () => undefined } as unknown as Queue;
const quietEnv = { ...env, EMAIL_QUEUE: silent, USER_STATS_QUEUE: silent };

async function unacknowledged(n: number, publishedAt: number) {
  const events = [];
  for (let i = 0; i < n; i++) {
    const e = aRegistration();
    await insertOutboxRow(e, publishedAt - 10);
    events.push(e);
  }
  await env.DB.prepare("UPDATE outbox SET published_at = ? WHERE published_at IS NULL")
    .bind(publishedAt)
    .run();
  return events;
}

let admin: TestUser;
beforeEach(async () => {
  await clearOpsTables();
  admin = await createTestUser("admin");
});

const list = async (query = "") => {
  const res = await call(`/ops/deliveries${query}`, { headers: admin.auth });
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
};

describe("GET /ops/deliveries", () => {
  it("lists what each consumer has not acknowledged past the grace period, filtered and paged", async () => {
    const now = Date.now();
    const [first, second, third] = await unacknowledged(3, now - GRACE - 5_000);
    await env.DB.prepare("INSERT INTO processed_events VALUES ('user-stats', ?, ?)")
      .bind(first!.id, now)
      .run();
    await reconcileDeliveries(quietEnv, now, log);

    const all = await list();
    expect(all.items).toHaveLength(5); // 3 for email, 2 for user-stats
    const email = await list("?consumer=email&state=queued");
    expect(email.items.map((d) => d.eventId).sort()).toEqual([first!.id, second!.id, third!.id].sort());
    expect(email.items[0]).toMatchObject({
      consumer: "email",
      eventType: "user.registered",
      state: "queued",
      resends: 1,
    });
    expect(email.items[0]!.ageSeconds).toBeGreaterThanOrEqual(Math.floor(GRACE / 1000));
    expect((await list("?consumer=user-stats")).items.map((d) => d.eventId)).not.toContain(first!.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.items.map((d) => `${d.consumer}/${d.eventId}`));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(5);
  });

  it("drops a delivery as soon as its consumer acknowledges it, before the reconciler looks again", async () => {
    const now = Date.now();
    const [event] = await unacknowledged(1, now - GRACE - 5_000);
    await reconcileDeliveries(quietEnv, now, log);
    expect((await list("?consumer=email")).items).toHaveLength(1);
    await env.DB.prepare("INSERT INTO processed_events VALUES ('email', ?, ?)").bind(event!.id, now).run();
    expect((await list("?consumer=email")).items).toHaveLength(0);
  });

  it("rejects unknown consumers, states and parameters with 400, and non-admins with 403", async () => {
    for (const q of ["?consumer=nobody", "?state=lost", "?colour=red", "?limit=0"]) {
      const res = await call(`/ops/deliveries${q}`, { headers: admin.auth });
      expect(res.status, q).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    const buyer = await createTestUser("buyer");
    expect((await call("/ops/deliveries", { headers: buyer.auth })).status).toBe(403);
    expect((await call("/ops/deliveries")).status).toBe(401);
  });
});

describe("unacknowledged deliveries in metrics and alerts", () => {
  it("shows gauges per consumer and state, and fires the age and count rules", async () => {
    const now = Date.now();
    await unacknowledged(2, now - GRACE - 5_000);
    await reconcileDeliveries(quietEnv, now, log);

    const metrics = await (await call("/ops/metrics", { headers: admin.auth })).text();
    expect(metrics).toContain('crossdock_deliveries_unacked{consumer="email",state="queued"} 2');
    expect(metrics).toContain('crossdock_deliveries_unacked{consumer="user-stats",state="queued"} 2');
    expect(metrics).toMatch(/crossdock_deliveries_unacked_oldest_age_seconds\{consumer="email"\} \d+/);

    // The ledger's figures: with its metrics() the local queue would answer for itself (ops/queue-backlog.test.ts).
    const strict = {
      ...env,
      ...withoutQueueMetrics(),
      ALERT_DELIVERY_MAX_AGE_SECONDS: "10",
      ALERT_DELIVERY_MAX_COUNT: "3",
    };
    const { raised } = await evaluateAlerts(strict, now + 60_000, log);
    expect(raised).toEqual(expect.arrayContaining(["deliveries-oldest-unacked-age", "deliveries-unacked"]));

    await env.DB.prepare("INSERT INTO processed_events SELECT consumer, event_id, 0 FROM deliveries").run();
    const { resolved } = await evaluateAlerts(strict, now + 120_000, log);
    expect(resolved).toEqual(expect.arrayContaining(["deliveries-oldest-unacked-age", "deliveries-unacked"]));
  });
});
