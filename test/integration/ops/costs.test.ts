import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { metered, readCounters, resetCounters } from "../../../src/platform/costs/meter";
import { meteredEnv } from "../../../src/platform/costs/metered-env";
import type { Usage } from "../../../src/platform/costs/model";
import { getDb } from "../../../src/platform/db/client";
import { topology } from "../../../src/platform/events/registry";
import { createLogger } from "../../../src/platform/observability/logger";
import { aRegistration, insertOutboxRow } from "../../support/events";
import { call, postJson } from "../../support/http";
import { deliver, queueStandIn } from "../../support/queues";
import { createTestUser } from "../../support/users";

const SCOPE = { flow: "probe" };
const probe = (): Usage => {
  const u = readCounters().total.flows.probe;
  if (!u) throw new Error("nothing counted for the probe flow");
  return u;
};

beforeEach(() => resetCounters());

describe("runtime counters at the bindings", () => {
  it("counts D1 queries and rows from each result's meta, through drizzle's raw reads and batches", async () => {
    const db = meteredEnv(env, SCOPE).DB;
    await db.exec("CREATE TABLE IF NOT EXISTS cost_probe (x INTEGER)");
    await db.prepare("DELETE FROM cost_probe").run();
    resetCounters();
    // 3 rows written in one statement, then 2 more in a batch of two statements.
    await db.prepare("INSERT INTO cost_probe VALUES (1), (2), (3)").run();
    await db.batch([
      db.prepare("INSERT INTO cost_probe VALUES (4)"),
      db.prepare("INSERT INTO cost_probe VALUES (5)"),
    ]);
    expect(probe()).toMatchObject({ d1Queries: 3, d1RowsWritten: 5, d1QueriesWithoutMeta: 0 });
    // A full scan of 5 rows, read as drizzle reads a select with fields (raw()), then with first().
    const rows = await getDb(db).all(sql`SELECT x FROM cost_probe`);
    expect(rows).toHaveLength(5);
    const raw = await db.prepare("SELECT x FROM cost_probe").raw();
    expect(raw).toEqual([[1], [2], [3], [4], [5]]);
    expect(await db.prepare("SELECT count(*) AS n FROM cost_probe").first("n")).toBe(5);
    const after = probe();
    expect(after.d1Queries).toBe(6);
    expect(after.d1QueriesWithoutMeta).toBe(0);
    expect(after.d1RowsRead).toBeGreaterThanOrEqual(15);
  });

  it("counts each log line and its size in UTF-8 bytes (what Workers Logs bills) for the flow that wrote it", async () => {
    const lines: string[] = [];
    await metered(SCOPE, "fetches", async () => {
      const log = createLogger({ requestId: "req_probe" }, (line) => lines.push(line));
      log.info("probe.ascii", { n: 1 });
      log.warn("probe.accented", { name: "Zoë Ødegård" });
    });
    const bytes = lines.reduce((sum, line) => sum + new TextEncoder().encode(line).length, 0);
    // Three non-ASCII letters, two bytes each: UTF-8 bytes, not string length.
    expect(bytes).toBe(lines.reduce((sum, line) => sum + line.length, 0) + 3);
    expect(probe()).toMatchObject({ logLines: 2, logBytes: bytes });
  });

  it("counts queue sends in messages and 64 KB operations", async () => {
    const q = meteredEnv(env, SCOPE).ANALYTICS_QUEUE;
    // Bodies the consumer would reject as poison; the counters only care that they were sent.
    await q.send({ probe: 1 });
    await q.sendBatch([{ body: { probe: 2 } }, { body: { probe: "x".repeat(70_000) } }]);
    expect(probe()).toMatchObject({ queueMessagesSent: 3, queueWriteOps: 4 });
  });

  it("passes a queue's metrics() on, counting no message, and leaves it out where the binding has none", async () => {
    const q = meteredEnv(env, SCOPE).USER_STATS_QUEUE;
    expect(await q.metrics()).toMatchObject({
      backlogCount: expect.any(Number),
      backlogBytes: expect.any(Number),
    });
    expect(readCounters().total.flows.probe).toBeUndefined();
    const older = meteredEnv({ ...env, USER_STATS_QUEUE: queueStandIn(env.USER_STATS_QUEUE) }, SCOPE);
    expect("metrics" in older.USER_STATS_QUEUE).toBe(false);
  });

  it("counts R2 calls by class: put and list A, get and head B, delete free", async () => {
    const files = meteredEnv(env, SCOPE).FILES;
    await files.put("costs/probe.txt", "hello");
    await files.head("costs/probe.txt");
    expect(await (await files.get("costs/probe.txt"))?.text()).toBe("hello");
    await files.list({ prefix: "costs/" });
    await files.delete("costs/probe.txt");
    expect(probe()).toMatchObject({ r2ClassA: 2, r2ClassB: 2 });
  });

  it("counts each Durable Object call as a request, with its wall time, and the rows its SQL wrote", async () => {
    const ns = meteredEnv(env, SCOPE).DEDUP_STORE;
    const stub = ns.get(ns.idFromName(`costs-${crypto.randomUUID()}`));
    const now = Date.now();
    await stub.claim({ key: "k", fingerprint: null, now, leaseMs: 1000, ttlMs: 60_000 });
    await stub.claim({ key: "k", fingerprint: null, now, leaseMs: 1000, ttlMs: 60_000 });
    const u = probe();
    expect(u.doRequests).toBe(2);
    expect(u.doWallMs).toBeGreaterThanOrEqual(0);
    // The store's own SQL (its flow's, or the caller's when the call carries its scope): the first
    // claim inserts the key.
    const written = () => {
      const { flows } = readCounters().total;
      return (flows.probe?.doSqlRowsWritten ?? 0) + (flows.platform?.doSqlRowsWritten ?? 0);
    };
    await vi.waitFor(() => expect(written()).toBeGreaterThanOrEqual(1));
  });
});

describe("a consumer batch", () => {
  const userStats = topology().consumers["user-stats"].queue;
  const email = topology().consumers.email.queue;
  const registered = () => aRegistration();

  it("counts the batch, each delivery's read and each ack's delete, for the consumer and its flow", async () => {
    const result = await deliver(userStats, [{ body: registered() }, { body: registered() }]);
    expect(result.explicitAcks).toHaveLength(2);
    const { flows, consumers } = readCounters().total;
    const expected = {
      queueBatches: 1,
      queueDeliveries: 2,
      queueReadOps: 2,
      queueAcks: 2,
      queueDeleteOps: 2,
    };
    expect(consumers["user-stats"]).toMatchObject({ ...expected, queueRetries: 0 });
    expect(flows.accounts).toMatchObject(expected);
    expect(consumers["user-stats"]?.d1RowsWritten).toBeGreaterThan(0);
  });

  it("counts a retry, and no delete for it", async () => {
    const result = await deliver(email, [{ body: registered() }], {
      EMAIL_PROVIDER: "http",
      EMAIL_API_URL: "http://127.0.0.1:9/unreachable",
    });
    expect(result.retryMessages).toHaveLength(1);
    expect(readCounters().total.consumers.email).toMatchObject({
      queueDeliveries: 1,
      queueReadOps: 1,
      queueRetries: 1,
      queueAcks: 0,
      queueDeleteOps: 0,
    });
  });
});

describe("GET /ops/costs", () => {
  const costs = async (query = "") => {
    const admin = await createTestUser("admin");
    return call(`/ops/costs${query}`, { headers: admin.auth });
  };
  type Line = { name: string; units: number; usage: Usage; dollarsPerMillion: number | null };
  const flowLine = async (name: string): Promise<Line | undefined> =>
    ((await (await costs()).json()) as { flows: Line[] }).flows.find((f) => f.name === name);

  it("counts a real sign-up for the accounts flow: the request, its fact and the relay's sends", async () => {
    const before = (await flowLine("accounts"))?.usage;
    const res = await postJson("/v1/auth/signup", {
      email: `costs-${crypto.randomUUID()}@example.com`,
      password: "correct horse battery staple",
      name: "Ada",
      role: "buyer",
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const subscribers = topology().subscriptions["user.registered"].length;
    await vi.waitFor(async () => {
      const after = (await flowLine("accounts"))?.usage;
      expect((after?.queueMessagesSent ?? 0) - (before?.queueMessagesSent ?? 0)).toBe(subscribers);
    });
    const after = (await flowLine("accounts"))!;
    expect(after.usage.fetches - (before?.fetches ?? 0)).toBe(1);
    expect(after.usage.facts - (before?.facts ?? 0)).toBe(1);
    expect(after.usage.d1RowsWritten - (before?.d1RowsWritten ?? 0)).toBeGreaterThanOrEqual(3);
    expect(after.dollarsPerMillion).toBeGreaterThan(0);
  });

  it("answers per flow and consumer, today's spend, the backlog and the prices", async () => {
    const res = await costs();
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ scope: "isolate", cpu: "not-counted" });
    expect(body.today).toMatchObject({ dollars: expect.any(Number), insideAllowances: expect.any(Boolean) });
    expect(Array.isArray(body.backlog)).toBe(true);
    expect((body.prices as { readOn: string }).readOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("lists the backlog the outbox still holds", async () => {
    const event = aRegistration();
    const envelope = JSON.stringify(event);
    // Committed an hour ago and never relayed.
    await insertOutboxRow(event, Date.now() - 3_600_000);
    const body = (await (await costs()).json()) as {
      backlog: { queue: string; messages: number; bytes: number; messageHours: number }[];
    };
    const row = body.backlog.find((b) => b.queue === "outbox");
    expect(row?.messages).toBeGreaterThanOrEqual(1);
    expect(row?.bytes).toBeGreaterThanOrEqual(envelope.length);
    expect(row?.messageHours).toBeGreaterThanOrEqual(1);
    await env.DB.prepare("DELETE FROM outbox WHERE id = ?").bind(event.id).run();
  });

  it("refuses a flow it has not counted with 422 unknown-flow, and an undeclared parameter with 400", async () => {
    const res = await costs("?flow=no-such-flow");
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await res.json()).toMatchObject({ type: expect.stringContaining("unknown-flow") });
    expect((await costs("?flows=x")).status).toBe(400);
  });

  it("is for admins only: 401 without a session, 403 for a buyer", async () => {
    expect((await call("/ops/costs")).status).toBe(401);
    const buyer = await createTestUser("buyer");
    expect((await call("/ops/costs", { headers: buyer.auth })).status).toBe(403);
  });
});
