import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../../src/app";
import { countEventsStatements } from "../../../src/consumers/analytics/count-events";
import type { QueuedClientEvent } from "../../../src/flows/analytics/client-event";
import { MAINTENANCE_STEPS } from "../../../src/maintenance";
import { readCounters, resetCounters } from "../../../src/platform/costs/meter";
import { meteredEnv } from "../../../src/platform/costs/metered-env";
import { getDb } from "../../../src/platform/db/client";
import { runMaintenance } from "../../../src/platform/events/maintenance";
import { newEvent } from "../../../src/platform/events/new-event";
import { ANALYTICS_QUEUE, consumedFor, countersOf, postEvents, todayAt } from "../../support/analytics";
import { createTestApiKey } from "../../support/api-keys";
import { eventually } from "../../support/events";
import { insertProducts, type TestProduct } from "../../support/products";
import { deliver } from "../../support/queues";
import { createTestUser, type TestUser } from "../../support/users";

const DAY_MS = 86_400_000;
let merchant: TestUser;
let key: Record<string, string>;

beforeAll(async () => {
  merchant = await createTestUser("merchant");
  key = (await createTestApiKey(merchant.id, ["events:write"])).auth;
});

const newProduct = async (): Promise<TestProduct> =>
  (await insertProducts(merchant.id, [{ title: "P" }]))[0]!;

const views = (product: TestProduct, ids: string[], at = todayAt().at): QueuedClientEvent[] =>
  ids.map((id) => ({ id, type: "product.viewed", occurredAt: at, productId: product.id }));

/** An analytics.events_received envelope as POST /v1/events would queue it. */
const message = (ownerId: string, events: QueuedClientEvent[]) =>
  newEvent(
    "analytics.events_received",
    ownerId,
    { ownerId, events },
    {
      correlationId: `req-${crypto.randomUUID()}`,
      causationId: "test",
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    },
    "/crossdock/api",
    Date.now(),
  );

describe("each client event is counted once", () => {
  it("when the client resends the same event ids over HTTP", async () => {
    const product = await newProduct();
    const { day } = todayAt();
    const ids = [`v-${crypto.randomUUID()}`, `v-${crypto.randomUUID()}`];
    const send = async (events: unknown[]) => {
      const requestId = `req-${crypto.randomUUID()}`;
      const res = await postEvents(events, key, { "x-request-id": requestId });
      expect(res.status).toBe(202);
      await eventually(() => consumedFor(requestId));
    };
    const [first, second] = views(product, ids);
    await send([first, second]);
    await send([first, second]);
    await send([second, ...views(product, [`v-${crypto.randomUUID()}`])]);
    expect((await countersOf(product.id, day)).views).toBe(3);
  });

  it("when the queue redelivers a message, even if the runtime's own dedup row is gone", async () => {
    const product = await newProduct();
    const { day } = todayAt();
    const body = message(merchant.id, views(product, ["a", "b"]));

    const first = await deliver(ANALYTICS_QUEUE, [{ body, id: "m1" }]);
    expect(first.explicitAcks).toEqual(["m1"]);
    expect((await countersOf(product.id, day)).views).toBe(2);

    const again = await deliver(ANALYTICS_QUEUE, [{ body, id: "m2", attempts: 2 }]);
    expect(again.explicitAcks).toEqual(["m2"]);
    expect((await countersOf(product.id, day)).views).toBe(2);

    // Past the runtime's message dedup (processed_events pruned): the event ids still catch it.
    await env.DB.prepare("DELETE FROM processed_events WHERE consumer = 'analytics' AND event_id = ?")
      .bind(body.id)
      .run();
    const late = await deliver(ANALYTICS_QUEUE, [{ body, id: "m3", attempts: 3 }]);
    expect(late.explicitAcks).toEqual(["m3"]);
    expect((await countersOf(product.id, day)).views).toBe(2);
  });

  it("when the same events arrive in two messages of one batch, and only the new ones count", async () => {
    const product = await newProduct();
    const { day } = todayAt();
    const result = await deliver(ANALYTICS_QUEUE, [
      { body: message(merchant.id, views(product, ["x", "y"])), id: "one" },
      { body: message(merchant.id, views(product, ["y", "z"])), id: "two" },
    ]);
    expect(result.explicitAcks.sort()).toEqual(["one", "two"]);
    expect((await countersOf(product.id, day)).views).toBe(3);
  });

  it("keeps event ids per account: two accounts' same ids are different events", async () => {
    const product = await newProduct();
    const { day } = todayAt();
    const other = await createTestUser("admin");
    await deliver(ANALYTICS_QUEUE, [
      { body: message(merchant.id, views(product, ["same"])) },
      { body: message(other.id, views(product, ["same"])) },
    ]);
    expect((await countersOf(product.id, day)).views).toBe(2);
  });

  it("counts each event on the UTC day it occurred", async () => {
    const product = await newProduct();
    const yesterday = new Date(Date.now() - DAY_MS).toISOString().slice(0, 10);
    await deliver(ANALYTICS_QUEUE, [
      { body: message(merchant.id, views(product, ["d1"], `${yesterday}T23:59:59.000Z`)) },
    ]);
    expect((await countersOf(product.id, yesterday)).views).toBe(1);
    expect((await countersOf(product.id, todayAt().day)).views).toBe(0);
  });

  it("drops events past the dedup horizon instead of risking a double count", async () => {
    const product = await newProduct();
    const old = new Date(Date.now() - 10 * DAY_MS).toISOString();
    const result = await deliver(ANALYTICS_QUEUE, [
      { body: message(merchant.id, views(product, ["old"], old)), id: "o" },
    ]);
    expect(result.explicitAcks).toEqual(["o"]);
    expect((await countersOf(product.id, old.slice(0, 10))).views).toBe(0);
  });
});

describe("analytics_event_ids retention", () => {
  it("is pruned by the cron past the horizon, keeping the counters", async () => {
    const product = await newProduct();
    const now = Date.now();
    const day = (daysAgo: number) => new Date(now - daysAgo * DAY_MS).toISOString().slice(0, 10);
    const owner = `usr_prune_${crypto.randomUUID()}`;
    await env.DB.batch(
      [10, 8].map((ago) =>
        env.DB.prepare(
          "INSERT INTO analytics_event_ids (owner_id, event_id, day, type, product_id, batch) VALUES (?, ?, ?, 'product.viewed', ?, 't')",
        ).bind(owner, `e${ago}`, day(ago), product.id),
      ),
    );
    const steps = MAINTENANCE_STEPS.filter((s) => s.name === "prune-analytics-event-ids");
    expect(await runMaintenance(env, now, steps)).toEqual({ "prune-analytics-event-ids": "ok" });
    const { results } = await env.DB.prepare("SELECT event_id FROM analytics_event_ids WHERE owner_id = ?")
      .bind(owner)
      .all<{ event_id: string }>();
    expect(results.map((r) => r.event_id)).toEqual(["e8"]);
  });
});

describe("POST /v1/events when the queue refuses", () => {
  it("still acknowledges what it committed: the events wait in the outbox for the sweeper", async () => {
    const product = await newProduct();
    const refusing = { sendBatch: () => Promise.reject(new Error("queue is down")) } as unknown as Queue;
    const ctx = createExecutionContext();
    const res = await createApp().fetch(
      new Request("https://crossdock.test/v1/events", {
        method: "POST",
        headers: { "content-type": "application/json", ...key },
        body: JSON.stringify({ events: views(product, ["refused"]) }),
      }),
      { ...env, ANALYTICS_QUEUE: refusing },
      ctx,
    );
    expect(res.status).toBe(202);
    await waitOnExecutionContext(ctx);
    const row = await env.DB.prepare(
      "SELECT published_at, publish_attempts FROM outbox WHERE type = 'analytics.events_received' AND envelope LIKE ?",
    )
      .bind('%"refused"%')
      .first<{ published_at: number | null; publish_attempts: number }>();
    expect(row).toEqual({ published_at: null, publish_attempts: 1 });
  });
});

describe("what counting a message reads", () => {
  it("looks its events up by key: the rows read do not grow with the ids already stored", async () => {
    const owner = `usr_reads_${crypto.randomUUID()}`;
    const day = todayAt().day;
    // 2,000 ids this account sent before, already counted: a scan of its key range reads every one.
    await env.DB.prepare(
      `INSERT INTO analytics_event_ids (owner_id, event_id, day, type, product_id, batch)
       SELECT ?, 'old-' || value, ?, 'product.viewed', 'prd_x', 'old' FROM json_each(?)`,
    )
      .bind(owner, day, JSON.stringify(Array.from({ length: 2000 }, (_, i) => i)))
      .run();
    const db = getDb(meteredEnv(env, { flow: "reads-probe" }).DB);
    const rows = [1, 2, 3].map((i) => ({
      eventId: `e${i}`,
      day,
      type: "product.viewed" as const,
      productId: "prd_reads",
      query: null,
    }));
    resetCounters();
    const [first, ...rest] = countEventsStatements(db, { ownerId: owner, rows, tag: "t1", now: Date.now() });
    await db.batch([first!, ...rest]);
    const u = readCounters().total.flows["reads-probe"]!;
    expect(u.d1Queries).toBe(3);
    expect(u.d1RowsRead).toBeLessThan(100);
  });
});
