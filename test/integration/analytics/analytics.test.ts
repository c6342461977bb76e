import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import {
  consumedFor,
  countersOf,
  type DailyMetrics,
  postEvents,
  readDaily,
  searchesOf,
  todayAt,
} from "../../support/analytics";
import { createTestApiKey } from "../../support/api-keys";
import { eventually } from "../../support/events";
import { call, postJson } from "../../support/http";
import { insertProducts, type TestProduct } from "../../support/products";
import { createTestUser, type TestUser } from "../../support/users";

interface IngestAnswer {
  accepted: number;
  rejected: { index: number; reason: string }[];
}

let merchant: TestUser;
let writeKey: Record<string, string>;
let readKey: Record<string, string>;
let mug: TestProduct;
let lamp: TestProduct;
let othersVase: TestProduct;

beforeAll(async () => {
  const other = await createTestUser("merchant");
  merchant = await createTestUser("merchant");
  const [first, second] = await insertProducts(merchant.id, [{ title: "Mug" }, { title: "Lamp" }]);
  const [third] = await insertProducts(other.id, [{ title: "Vase" }]);
  [mug, lamp, othersVase] = [first!, second!, third!];
  writeKey = (await createTestApiKey(merchant.id, ["events:write"])).auth;
  readKey = (await createTestApiKey(merchant.id, ["reports:read"])).auth;
});

const viewed = (product: TestProduct, extra: Record<string, unknown> = {}) => ({
  type: "product.viewed",
  occurredAt: todayAt().at,
  productId: product.id,
  ...extra,
});

describe("POST /v1/events, end to end", () => {
  it("queues the events and the consumer counts them into the daily metrics", async () => {
    const [product] = await insertProducts(merchant.id, [{ title: "Kettle" }]);
    const { at, day } = todayAt();
    const word = `kettle ${crypto.randomUUID().slice(0, 8)}`;
    const events = [
      ...[1, 2, 3].map(() => ({ type: "product.viewed", occurredAt: at, productId: product!.id })),
      { type: "product.added_to_cart", occurredAt: at, productId: product!.id, sessionId: "s-1" },
      { type: "product.added_to_cart", occurredAt: at, productId: product!.id, properties: { qty: 2 } },
      { type: "product.removed_from_cart", occurredAt: at, productId: product!.id },
      { type: "checkout.started", occurredAt: at, productId: product!.id },
      { type: "search.performed", occurredAt: at, query: `  ${word.toUpperCase()} ` },
    ];
    const res = await postEvents(events, writeKey);
    expect(res.status).toBe(202);
    expect(await res.json<IngestAnswer>()).toEqual({ accepted: 8, rejected: [] });

    await eventually(async () => ((await countersOf(product!.id, day)).views === 3 ? true : null));
    const read = await readDaily(product!.id, readKey, `?from=${day}&to=${day}`);
    expect(read.status).toBe(200);
    expect(await read.json<DailyMetrics>()).toEqual({
      productId: product!.id,
      from: day,
      to: day,
      days: [{ day, views: 3, addToCarts: 2, removesFromCart: 1, checkoutsStarted: 1 }],
    });
    expect(await searchesOf(day, word)).toBe(1);
  });

  it("reads a bare array as the batch, and counts an unstamped event on the day it arrived", async () => {
    const [product] = await insertProducts(merchant.id, [{ title: "Teapot" }]);
    const res = await postJson("/v1/events", [{ type: "product.viewed", productId: product!.id }], writeKey);
    expect(res.status).toBe(202);
    expect(await res.json<IngestAnswer>()).toEqual({ accepted: 1, rejected: [] });
    const today = new Date().toISOString().slice(0, 10);
    await eventually(async () => ((await countersOf(product!.id, today)).views === 1 ? true : null));
  });

  it("accepts a session of a merchant, not only a key", async () => {
    const res = await postEvents([viewed(mug)], merchant.auth);
    expect(res.status).toBe(202);
    expect(await res.json<IngestAnswer>()).toEqual({ accepted: 1, rejected: [] });
  });

  it("keeps the request id as the events' correlation id, through the consumer", async () => {
    const requestId = `req-analytics-${crypto.randomUUID()}`;
    const res = await postEvents([viewed(lamp)], writeKey, { "x-request-id": requestId });
    expect(res.status).toBe(202);
    expect(await eventually(() => consumedFor(requestId))).toBe(1);
  });
});

describe("POST /v1/events, each event checked on its own", () => {
  it("accepts the good events and lists the bad ones by index, naming the field", async () => {
    const { at } = todayAt();
    const now = Date.now();
    const events = [
      viewed(mug, { id: "good-1" }),
      { occurredAt: at, productId: mug.id },
      { type: "product.viewed", occurredAt: at },
      viewed(mug, { occurredAt: new Date(now + 10 * 60_000).toISOString() }),
      viewed(mug, { occurredAt: new Date(now - 8 * 86_400_000).toISOString() }),
      { type: "search.performed", occurredAt: at, query: "   " },
      viewed(mug, { colour: "red" }),
      "not an event",
      viewed(mug, { productId: "prd_nope" }),
      viewed(othersVase),
      viewed(lamp, { id: "good-1" }),
      viewed(mug, { occurredAt: "yesterday" }),
      { type: "page.viewed", occurredAt: at },
      viewed(lamp, { id: "" }),
      { type: "checkout.started", occurredAt: at },
    ];
    const res = await postEvents(events, writeKey);
    expect(res.status).toBe(202);
    const body = await res.json<IngestAnswer>();
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r) => r.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    const reasons = Object.fromEntries(body.rejected.map((r) => [r.index, r.reason]));
    expect(reasons[1]).toMatch(/^type: /);
    expect(reasons[2]).toBe("productId: required for product.viewed");
    expect(reasons[3]).toBe("occurredAt: more than 5 minutes in the future");
    expect(reasons[4]).toBe("occurredAt: older than 7 days");
    expect(reasons[5]).toBe("query: required for search.performed");
    expect(reasons[6]).toBe("colour: unknown field");
    expect(reasons[7]).toMatch(/^event: /);
    expect(reasons[8]).toBe("productId: no such product");
    expect(reasons[9]).toBe("productId: not one of your products");
    expect(reasons[10]).toBe("id: repeats the id of event 0 in this request");
    expect(reasons[11]).toMatch(/^occurredAt: /);
    expect(reasons[12]).toMatch(/^type: /);
    expect(reasons[13]).toMatch(/^id: /);
  });

  it("answers 202 with accepted 0 when every event is bad, and queues nothing", async () => {
    const res = await postEvents([{ type: "product.viewed", occurredAt: "yesterday" }], writeKey);
    expect(res.status).toBe(202);
    expect(await res.json<IngestAnswer>()).toEqual({
      accepted: 0,
      rejected: [{ index: 0, reason: expect.stringMatching(/^occurredAt: /) }],
    });
  });

  it("refuses more than 500 events with 422 naming events", async () => {
    const res = await postEvents(
      Array.from({ length: 501 }, () => viewed(mug)),
      writeKey,
    );
    expect(res.status).toBe(422);
    const problem = await res.json<{ type: string; errors: { field: string }[] }>();
    expect(problem.type).toBe("/problems/too-many-events");
    expect(problem.errors).toEqual([
      { field: "events", in: "body", message: "at most 500 events per request" },
    ]);
  });

  it("takes exactly 500 events, past the global 64 KiB body limit", async () => {
    const events = Array.from({ length: 500 }, (_, i) =>
      viewed(mug, { id: `big-${crypto.randomUUID()}`, properties: { note: "x".repeat(100), i } }),
    );
    const body = JSON.stringify({ events });
    expect(body.length).toBeGreaterThan(64 * 1024);
    const res = await postEvents(events, writeKey);
    expect(res.status).toBe(202);
    expect(await res.json<IngestAnswer>()).toEqual({ accepted: 500, rejected: [] });
  });

  it("answers 413 over ANALYTICS_MAX_BODY_BYTES, and other routes keep the global limit", async () => {
    const huge = [viewed(mug, { properties: { note: "x".repeat(200) } })];
    const res = await postJson("/v1/events", { events: huge, pad: "y".repeat(1024 * 1024) }, writeKey);
    expect(res.status).toBe(413);
    const other = await postJson("/v1/quotes", { pad: "y".repeat(100 * 1024) }, merchant.auth);
    expect(other.status).toBe(413);
  });

  it.each([
    ["no events field", { items: [] }],
    ["an empty batch", { events: [] }],
    ["events not an array", { events: { type: "product.viewed" } }],
    ["an empty array", []],
  ])("answers 400 for %s", async (_, body) => {
    const res = await postJson("/v1/events", body, writeKey);
    expect(res.status).toBe(400);
    const problem = await res.json<{ type: string }>();
    expect(problem.type).toBe("/problems/validation-error");
  });
});

describe("POST /v1/events, who may send", () => {
  it("answers 401 without a token", async () => {
    expect((await postEvents([viewed(mug)], {})).status).toBe(401);
  });

  it("answers 403 to a key without events:write", async () => {
    const res = await postEvents([viewed(mug)], readKey);
    expect(res.status).toBe(403);
    expect((await res.json<{ detail: string }>()).detail).toContain("events:write");
  });

  it("lets a buyer report their own shopping on any product, each kind counted once per product and day", async () => {
    const buyer = await createTestUser("buyer");
    const [chair] = await insertProducts(merchant.id, [{ title: "Shopper's chair" }]);
    const { at, day } = todayAt();
    const requestId = `req-shopper-${crypto.randomUUID()}`;
    // Ten views with ten ids, two carts: a script (or a person) trying to inflate the figures.
    const events = [
      ...Array.from({ length: 10 }, (_, i) => viewed(chair!, { id: `v-${i}` })),
      { type: "product.added_to_cart", occurredAt: at, productId: chair!.id, id: "c-1" },
      { type: "product.added_to_cart", occurredAt: at, productId: chair!.id, id: "c-2" },
    ];
    const res = await postEvents(events, buyer.auth, { "x-request-id": requestId });
    expect(res.status).toBe(202);
    expect((await res.json<IngestAnswer>()).accepted).toBe(12);
    expect(await eventually(() => consumedFor(requestId))).toBeGreaterThan(0);
    // The same again from a new request, with fresh ids: nothing more counts today.
    const again = `req-shopper-again-${crypto.randomUUID()}`;
    await postEvents(
      events.map((e, i) => ({ ...e, id: `again-${i}` })),
      buyer.auth,
      { "x-request-id": again },
    );
    expect(await eventually(() => consumedFor(again))).toBeGreaterThan(0);
    const counters = await countersOf(chair!.id, day);
    expect([counters.views, counters.add_to_carts]).toEqual([1, 1]);
    // Another shopper's view is another view.
    const other = await createTestUser("buyer");
    const third = `req-shopper-other-${crypto.randomUUID()}`;
    await postEvents([viewed(chair!)], other.auth, { "x-request-id": third });
    expect(await eventually(() => consumedFor(third))).toBeGreaterThan(0);
    expect((await countersOf(chair!.id, day)).views).toBe(2);
  });

  it("never lets a merchant move another merchant's figures; an admin may report on any product", async () => {
    const victim = await createTestUser("merchant");
    const [theirs] = await insertProducts(victim.id, [{ title: "Their chair" }]);
    const [own] = await insertProducts(merchant.id, [{ title: "Own chair" }]);
    const { day } = todayAt();
    const requestId = `req-foreign-${crypto.randomUUID()}`;
    const events = [...Array.from({ length: 200 }, () => viewed(theirs!)), viewed(own!)];
    const res = await postEvents(events, writeKey, { "x-request-id": requestId });
    expect(res.status).toBe(202);
    const body = await res.json<IngestAnswer>();
    expect(body.accepted).toBe(1);
    expect(body.rejected).toHaveLength(200);
    expect(new Set(body.rejected.map((r) => r.reason))).toEqual(
      new Set(["productId: not one of your products"]),
    );
    // The batch's own event was counted, so the other merchant's counters would have moved by now.
    expect(await eventually(() => consumedFor(requestId))).toBe(1);
    expect((await countersOf(own!.id, day)).views).toBe(1);
    expect((await countersOf(theirs!.id, day)).views).toBe(0);

    const admin = await createTestUser("admin");
    expect(await (await postEvents([viewed(theirs!)], admin.auth)).json<IngestAnswer>()).toEqual({
      accepted: 1,
      rejected: [],
    });
  });

  it("answers 429 with Retry-After past ANALYTICS_EVENTS_BY_ACCOUNT, for that account only", async () => {
    const busy = await createTestUser("merchant");
    const rejectedOnly = [{ type: "page.viewed" }];
    // The binding counts 50 per fixed 10-second window; 101 requests within at most two windows must
    // put more than 50 into one of them.
    let accepted = 0;
    let limited: Response | null = null;
    for (let i = 0; i < 101 && !limited; i++) {
      const res = await postEvents(rejectedOnly, busy.auth);
      if (res.status === 429) limited = res;
      else {
        expect(res.status).toBe(202);
        accepted += 1;
      }
    }
    expect(accepted).toBeGreaterThanOrEqual(50);
    expect(limited?.headers.get("content-type")).toContain("application/problem+json");
    expect(Number(limited?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited?.json()).toMatchObject({ type: "/problems/rate-limited", status: 429 });
    const other = await createTestUser("merchant");
    expect((await postEvents(rejectedOnly, other.auth)).status).toBe(202);
  });
});

describe("GET /v1/analytics/products/{productId}/daily", () => {
  it("lists every day of the range, zeros included", async () => {
    const [product] = await insertProducts(merchant.id, [{ title: "Quiet" }]);
    const res = await readDaily(product!.id, readKey, "?from=2026-01-30&to=2026-02-02");
    expect(res.status).toBe(200);
    const body = await res.json<DailyMetrics>();
    expect(body.days.map((d) => d.day)).toEqual(["2026-01-30", "2026-01-31", "2026-02-01", "2026-02-02"]);
    expect(body.days.every((d) => d.views === 0 && d.addToCarts === 0)).toBe(true);
  });

  it("defaults to the 30 days up to today", async () => {
    const body = await (await readDaily(mug.id, merchant.auth)).json<DailyMetrics>();
    expect(body.days).toHaveLength(30);
    expect(body.to).toBe(todayAt().day);
  });

  it("answers 404 for another merchant's product and for an unknown one", async () => {
    expect((await readDaily(othersVase.id, readKey)).status).toBe(404);
    expect((await readDaily("prd_missing", readKey)).status).toBe(404);
  });

  it("lets an admin read any product", async () => {
    const admin = await createTestUser("admin");
    expect((await readDaily(othersVase.id, admin.auth)).status).toBe(200);
  });

  it("answers 403 to a key without reports:read and to a buyer", async () => {
    expect((await readDaily(mug.id, writeKey)).status).toBe(403);
    expect((await readDaily(mug.id, (await createTestUser("buyer")).auth)).status).toBe(403);
  });

  it("answers 400 for a reversed or too long range and a malformed day", async () => {
    for (const q of ["?from=2026-02-02&to=2026-02-01", "?from=2024-01-01&to=2026-01-01", "?from=yesterday"]) {
      expect((await readDaily(mug.id, readKey, q)).status).toBe(400);
    }
  });

  it("counts from the read model, written only by the consumer", async () => {
    await env.DB.prepare(
      "INSERT INTO product_daily_metrics (product_id, day, views, add_to_carts, removes_from_cart, checkouts_started, updated_at) VALUES (?, '2026-03-01', 7, 1, 0, 2, 0)",
    )
      .bind(lamp.id)
      .run();
    const body = await (
      await readDaily(lamp.id, readKey, "?from=2026-03-01&to=2026-03-01")
    ).json<DailyMetrics>();
    expect(body.days).toEqual([
      { day: "2026-03-01", views: 7, addToCarts: 1, removesFromCart: 0, checkoutsStarted: 2 },
    ]);
  });
});

describe("documents", () => {
  it("documents POST /v1/events with ClientEvent items, and the queue and fact in /asyncapi.json", async () => {
    const openapi = await (await call("/openapi.json")).json<{
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    }>();
    expect(Object.keys(openapi.components.schemas.ClientEvent?.properties ?? {})).toEqual([
      "id",
      "type",
      "occurredAt",
      "productId",
      "query",
      "sessionId",
      "properties",
    ]);
    const asyncapi = await (await call("/asyncapi.json")).json<{
      channels: Record<string, unknown>;
      components: { messages: Record<string, unknown> };
    }>();
    expect(asyncapi.channels).toHaveProperty("crossdock-analytics");
    expect(asyncapi.components.messages).toHaveProperty(["analytics.events_received.v1"]);
  });
});
