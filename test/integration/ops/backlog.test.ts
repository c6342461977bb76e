import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../../src/platform/clock";
import { toCurrent } from "../../../src/platform/events/upcast";
import { ANALYTICS_QUEUE, consumedFor, postEvents } from "../../support/analytics";
import { createTestApiKey } from "../../support/api-keys";
import { eventually } from "../../support/events";
import { call, callWith, postJson } from "../../support/http";
import { clearOpsTables } from "../../support/ops";
import { insertProducts, type TestProduct } from "../../support/products";
import { deliver } from "../../support/queues";
import { createTestUser, type TestUser } from "../../support/users";

interface Backlog {
  consumer: string;
  eventType: string;
  count: number;
  correlationId: string;
  template: string;
}
interface Problem {
  type: string;
  detail: string;
  consumers?: string[];
  errors?: { field: string }[];
}
interface OutboxRow {
  id: string;
  type: string;
  subject: string;
  envelope: string;
  published_at: number | null;
}

let admin: TestUser;
beforeEach(async () => {
  await clearOpsTables();
  admin = await createTestUser("admin");
});

const backlog = (body: unknown, auth: Record<string, string> = admin.auth) =>
  postJson("/ops/faults/backlog", body, auth);

const freshTag = () => `t-${crypto.randomUUID().slice(0, 8)}`;

/** A merchant who sends one real product view: the fact a backlog copies. Resolves once it is consumed. */
async function realView(): Promise<{ merchant: TestUser; product: TestProduct; factId: string }> {
  const merchant = await createTestUser("merchant");
  const [product] = await insertProducts(merchant.id, [{ title: "Mug" }]);
  const key = (await createTestApiKey(merchant.id, ["events:write"])).auth;
  const requestId = `req-${crypto.randomUUID()}`;
  const res = await postEvents([{ type: "product.viewed", productId: product!.id, sessionId: "s-1" }], key, {
    "x-request-id": requestId,
  });
  expect(res.status).toBe(202);
  await eventually(() => consumedFor(requestId));
  const fact = await env.DB.prepare("SELECT id FROM outbox WHERE correlation_id = ?")
    .bind(requestId)
    .first<{ id: string }>();
  return { merchant, product: product!, factId: fact!.id };
}

const rowsOf = async (correlationId: string) =>
  (
    await env.DB.prepare("SELECT * FROM outbox WHERE correlation_id = ? ORDER BY id")
      .bind(correlationId)
      .all<OutboxRow>()
  ).results;

/** The `n` a query selects. */
const numberOf = async (query: string, ...binds: unknown[]) =>
  (
    await env.DB.prepare(query)
      .bind(...binds)
      .first<{ n: number }>()
  )?.n ?? 0;

/** Every view counted for the product, whatever the day (a test may straddle UTC midnight). */
const viewsOf = (productId: string) =>
  numberOf("SELECT coalesce(sum(views), 0) AS n FROM product_daily_metrics WHERE product_id = ?", productId);

/** Facts of the backlog the analytics consumer has done (acked, or skipped as done before). */
const handled = (correlationId: string) =>
  numberOf(
    "SELECT count(DISTINCT event_id) AS n FROM consumer_attempts WHERE consumer = 'analytics' AND correlation_id = ? AND outcome IN ('acked', 'duplicate')",
    correlationId,
  );

const drained = (correlationId: string, expected: number, timeout?: number) =>
  eventually(async () => ((await handled(correlationId)) === expected ? true : null), timeout);

describe("POST /ops/faults/backlog: who and what", () => {
  it("is for admins only, documented under Operations with bearer auth", async () => {
    const body = { consumer: "analytics", count: 1, tag: "x" };
    expect((await postJson("/ops/faults/backlog", body)).status).toBe(401);
    for (const role of ["buyer", "merchant"] as const) {
      const res = await backlog(body, (await createTestUser(role)).auth);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ type: "/problems/forbidden" });
    }
    const doc = await (await call("/openapi.json")).json<{
      paths: Record<string, Record<string, { tags: string[]; security: unknown[] }>>;
    }>();
    expect(doc.paths["/ops/faults/backlog"]?.post).toMatchObject({
      tags: ["Operations"],
      security: [{ bearerAuth: [] }],
    });
  });

  it.each([
    ["an unknown field", { consumer: "analytics", count: 1, tag: "x", extra: true }, "extra"],
    ["a count of 0", { consumer: "analytics", count: 0, tag: "x" }, "count"],
    ["a count over 1000", { consumer: "analytics", count: 1001, tag: "x" }, "count"],
    ["a fractional count", { consumer: "analytics", count: 1.5, tag: "x" }, "count"],
    ["a tag with capitals", { consumer: "analytics", count: 1, tag: "Game-Day" }, "tag"],
    ["a tag of 65 characters", { consumer: "analytics", count: 1, tag: "a".repeat(65) }, "tag"],
    ["no tag", { consumer: "analytics", count: 1 }, "tag"],
  ])("400 validation-error for %s", async (_, body, field) => {
    const res = await backlog(body);
    expect(res.status).toBe(400);
    const problem = await res.json<Problem>();
    expect(problem.type).toBe("/problems/validation-error");
    expect(problem.errors?.map((e) => e.field)).toContain(field);
  });

  it("422 unknown-consumer, listing the consumers", async () => {
    const res = await backlog({ consumer: "nope", count: 1, tag: "x" });
    expect(res.status).toBe(422);
    const problem = await res.json<Problem>();
    expect(problem.type).toBe("/problems/unknown-consumer");
    expect(problem.consumers).toEqual(expect.arrayContaining(["analytics", "email"]));
  });

  it("422 no-synthetic-facts for a consumer whose flow declares none, naming those that do", async () => {
    const res = await backlog({ consumer: "email", count: 1, tag: "x" });
    expect(res.status).toBe(422);
    const problem = await res.json<Problem>();
    expect(problem.type).toBe("/problems/no-synthetic-facts");
    expect(problem.consumers).toEqual(["analytics"]);
    expect(problem.detail).toContain("analytics");
  });

  it("409 no-template-fact before any fact of the type was published, and writes nothing", async () => {
    const res = await backlog({ consumer: "analytics", count: 3, tag: "early" });
    expect(res.status).toBe(409);
    const problem = await res.json<Problem>();
    expect(problem.type).toBe("/problems/no-template-fact");
    expect(problem.detail).toContain("POST /v1/events");
    expect(await rowsOf("backlog-early")).toEqual([]);
  });

  it('409 faults-disabled unless FAULTS_ENABLED is "true", and writes nothing', async () => {
    await realView();
    const off = callWith({ clock: systemClock, bindings: { FAULTS_ENABLED: "false" } });
    const res = await off("/ops/faults/backlog", {
      method: "POST",
      headers: { "content-type": "application/json", ...admin.auth },
      body: JSON.stringify({ consumer: "analytics", count: 3, tag: "off" }),
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ type: "/problems/faults-disabled" });
    expect(await rowsOf("backlog-off")).toEqual([]);
  });
});

describe("POST /ops/faults/backlog: real facts, delivered and counted", () => {
  it("commits N copies of the newest real fact before answering; the consumer counts each once", async () => {
    const { merchant, product, factId } = await realView();
    expect(await viewsOf(product.id)).toBe(1);
    const tag = freshTag();
    const correlationId = `backlog-${tag}`;
    const requestId = `req-${crypto.randomUUID()}`;

    const res = await backlog(
      { consumer: "analytics", count: 30, tag },
      { ...admin.auth, "x-request-id": requestId },
    );
    expect(res.status).toBe(202);
    expect(await res.json<Backlog>()).toEqual({
      consumer: "analytics",
      eventType: "analytics.events_received",
      count: 30,
      correlationId,
      template: factId,
    });

    // Committed before the answer: 30 valid facts, each one client event with an id of its own.
    const rows = await rowsOf(correlationId);
    expect(rows).toHaveLength(30);
    const facts = rows.map((r) => toCurrent(JSON.parse(r.envelope)));
    const ids = new Set(facts.map((f) => f.id));
    expect(ids.size).toBe(30);
    expect(ids.has(factId)).toBe(false);
    for (const [i, f] of facts.entries()) {
      expect(f).toMatchObject({
        type: "analytics.events_received",
        subject: merchant.id,
        source: "/crossdock/ops",
        correlationid: correlationId,
        causationid: requestId,
      });
      expect(rows[i]).toMatchObject({ type: f.type, subject: merchant.id });
    }
    const events = facts.flatMap((f) => (f.type === "analytics.events_received" ? f.data.events : []));
    expect(events).toHaveLength(30);
    expect(events.map((e) => e.id).sort()).toEqual(
      Array.from({ length: 30 }, (_, i) => `${tag}-${i + 1}`).sort(),
    );
    expect(events[0]).toMatchObject({ type: "product.viewed", productId: product.id, sessionId: "s-1" });
    // The backlog's trace has its root: this request, under the backlog's name.
    const root = await env.DB.prepare("SELECT path FROM request_records WHERE request_id = ?")
      .bind(correlationId)
      .first<{ path: string }>();
    expect(root?.path).toBe("/ops/faults/backlog");

    // Relayed after the answer, delivered, and each synthetic view counted once.
    await drained(correlationId, 30);
    expect(await viewsOf(product.id)).toBe(31);
    const published = await rowsOf(correlationId);
    expect(published.every((r) => r.published_at !== null)).toBe(true);
    const acks = await numberOf(
      "SELECT count(*) AS n FROM processed_events WHERE consumer = 'analytics' AND event_id IN (SELECT id FROM outbox WHERE correlation_id = ?)",
      correlationId,
    );
    expect(acks).toBe(30);

    // A redelivered copy is a duplicate, not a second view.
    const again = await deliver(ANALYTICS_QUEUE, [{ body: facts[0], id: "again", attempts: 2 }]);
    expect(again.explicitAcks).toEqual(["again"]);
    expect(await viewsOf(product.id)).toBe(31);
  });

  it("numbers a tag's facts on across calls, so each call's events count too", async () => {
    const { product } = await realView();
    const tag = freshTag();
    const correlationId = `backlog-${tag}`;
    expect((await backlog({ consumer: "analytics", count: 4, tag })).status).toBe(202);
    expect((await backlog({ consumer: "analytics", count: 3, tag })).status).toBe(202);
    const rows = await rowsOf(correlationId);
    const ids = rows.flatMap((r) =>
      (JSON.parse(r.envelope).data.events as { id: string }[]).map((e) => e.id),
    );
    expect(ids.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `${tag}-${i + 1}`).sort());
    await drained(correlationId, 7);
    expect(await viewsOf(product.id)).toBe(8);
  });

  it("writes the largest call, 1000 facts, in one request, all delivered", async () => {
    const { product } = await realView();
    const tag = freshTag();
    const correlationId = `backlog-${tag}`;
    const res = await backlog({ consumer: "analytics", count: 1000, tag });
    expect(res.status).toBe(202);
    expect(await numberOf("SELECT count(*) AS n FROM outbox WHERE correlation_id = ?", correlationId)).toBe(
      1000,
    );
    await drained(correlationId, 1000, 60_000);
    expect(await viewsOf(product.id)).toBe(1001);
  }, 90_000);
});
