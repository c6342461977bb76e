import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { reportsConsumer } from "../../../src/consumers/reports/reports";
import { settlements } from "../../../src/flows/settlements/schema";
import { getDb } from "../../../src/platform/db/client";
import { dedupKey } from "../../../src/platform/events/dedup-client";
import { createTestApiKey } from "../../support/api-keys";
import { manualClock } from "../../support/clock";
import { eventually, mailboxRows } from "../../support/events";
import { call, postJson } from "../../support/http";
import { jobRow } from "../../support/jobs";
import { insertProducts, type TestProduct } from "../../support/products";
import { deliver, runConsumerOn } from "../../support/queues";
import {
  aConfirmedOrder,
  finishedJob,
  insertReport,
  outboxEnvelope,
  reportRow,
  requestedFact,
} from "../../support/reports";
import { createTestUser, type TestUser } from "../../support/users";

const at = (iso: string) => Date.parse(iso);
const MARCH = { from: "2026-03-01", to: "2026-03-31" };

/**
 * Mia sells a mug (with a comma and quotes in its title) and a lamp; Omar sells a chair. In March:
 * one order with Mia's mug and Omar's chair, one with Mia's lamp that is later refunded; in April one
 * more mug. Facts reach the sales-lines projection through its real consumer.
 */
let mia: TestUser;
let omar: TestUser;
let mug: TestProduct;
let lamp: TestProduct;
let orders: { first: string; refunded: string };
beforeAll(async () => {
  mia = await createTestUser("merchant", "Mia");
  omar = await createTestUser("merchant", "Omar");
  const buyer = await createTestUser("buyer");
  [mug, lamp] = (await insertProducts(mia.id, [
    { title: 'Mug, "blue"', sku: "MUG-1", priceMinor: 1250, category: "kitchen", stock: 7 },
    { title: "Desk lamp", sku: "LAMP-1", priceMinor: 4000, category: "home", stock: 3 },
  ])) as [TestProduct, TestProduct];
  const [chair] = await insertProducts(omar.id, [{ title: "Chair", sku: "CHAIR-1", priceMinor: 9900 }]);
  const first = await aConfirmedOrder(buyer.id, [mug, chair!], at("2026-03-05T10:00:00Z"));
  const second = await aConfirmedOrder(buyer.id, [lamp], at("2026-03-10T12:30:00Z"));
  const april = await aConfirmedOrder(buyer.id, [mug], at("2026-04-02T08:00:00Z"));
  const result = await deliver("crossdock-sales-lines", [
    { body: first.confirmed },
    { body: second.confirmed },
    { body: april.confirmed },
    { body: second.refunded(at("2026-03-12T09:00:00Z")) },
  ]);
  expect(result.explicitAcks).toHaveLength(4);
  orders = { first: first.order.id, refunded: second.order.id };
});

const requestReport = (
  user: { authorization: string },
  body: unknown,
  headers: Record<string, string> = {},
) => postJson("/v1/reports", body, { ...user, ...headers });

async function download(id: string, auth: { authorization: string }) {
  const res = await call(`/v1/reports/${id}/download`, { headers: auth });
  return { res, text: res.status === 200 ? await res.text() : "" };
}

describe("POST /v1/reports → job → CSV in R2 → download", () => {
  it("builds a sales report over the range: only the owner's lines, money in major units, refunds marked", async () => {
    const res = await requestReport(mia.auth, { type: "sales", ...MARCH });
    expect(res.status).toBe(202);
    const job = await res.json<{ id: string; type: string; status: string; streamUrl: string }>();
    expect(job).toMatchObject({ type: "report", status: "queued", progress: { processed: 0, total: null } });
    expect(job.id).toMatch(/^job_/);
    expect(res.headers.get("location")).toBe(`/v1/jobs/${job.id}`);

    const done = await finishedJob(job.id, mia.auth);
    expect(done.status).toBe("succeeded");
    expect(done.progress).toEqual({ processed: 2, total: 2, failed: 0 });
    const { res: file, text } = await download(job.id, mia.auth);
    expect(done.result).toEqual({
      downloadUrl: `/v1/reports/${job.id}/download`,
      rows: 2,
      bytes: new TextEncoder().encode(text).byteLength,
      type: "sales",
      ...MARCH,
    });

    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(file.headers.get("content-disposition")).toBe(
      'attachment; filename="sales-2026-03-01-2026-03-31.csv"',
    );
    expect(file.headers.get("content-length")).toBe(String(done.result?.bytes));
    expect(text.split("\r\n")).toEqual([
      "order_id,confirmed_at,product_id,sku,title,quantity,unit_price,amount,currency,status,refunded_at",
      `${orders.first},2026-03-05T10:00:00.000Z,${mug.id},MUG-1,"Mug, ""blue""",1,12.50,12.50,USD,confirmed,`,
      `${orders.refunded},2026-03-10T12:30:00.000Z,${lamp.id},LAMP-1,Desk lamp,1,40.00,40.00,USD,refunded,2026-03-12T09:00:00.000Z`,
      "",
    ]);
    expect(await reportRow(job.id)).toMatchObject({ status: "ready", rows: 2, bytes: done.result?.bytes });
    const meta = await call(`/v1/reports/${job.id}`, { headers: mia.auth });
    expect(await meta.json()).toMatchObject({ id: job.id, status: "ready", rows: 2, ...MARCH });
  });

  it("builds a products report: the catalog with units sold and revenue in the range, net of refunds", async () => {
    const res = await requestReport(mia.auth, { type: "products", ...MARCH });
    expect(res.status).toBe(202);
    const { id } = await res.json<{ id: string }>();
    expect((await finishedJob(id, mia.auth)).status).toBe("succeeded");
    const { text } = await download(id, mia.auth);
    expect(text.split("\r\n")).toEqual([
      "product_id,sku,title,category,price,currency,stock,units_sold,revenue",
      `${lamp.id},LAMP-1,Desk lamp,home,40.00,USD,3,0,0.00`,
      `${mug.id},MUG-1,"Mug, ""blue""",kitchen,12.50,USD,7,1,12.50`,
      "",
    ]);
  });

  it("builds a settlements report from the merchant's settlements whose day falls in the range", async () => {
    const day = (d: string) => ({
      periodStart: at(`${d}T00:00:00Z`),
      periodEnd: at(`${d}T00:00:00Z`) + 86_400_000,
    });
    const base = { currency: "USD", createdAt: Date.now() };
    await getDb(env.DB)
      .insert(settlements)
      .values([
        {
          ...base,
          ...day("2026-03-04"),
          id: "stl_mia_0304",
          merchantId: mia.id,
          status: "settled",
          grossSalesMinor: 5250,
          feesMinor: 525,
          refundsMinor: 0,
          payoutMinor: 4725,
          payoutId: "po_1",
          settledAt: at("2026-03-05T00:10:00Z"),
        },
        { ...base, ...day("2026-03-31"), id: "stl_mia_0331", merchantId: mia.id, status: "pending" },
        { ...base, ...day("2026-04-01"), id: "stl_mia_0401", merchantId: mia.id, status: "pending" },
        { ...base, ...day("2026-03-04"), id: "stl_omar_0304", merchantId: omar.id, status: "pending" },
      ]);
    const res = await requestReport(mia.auth, { type: "settlements", ...MARCH });
    expect(res.status).toBe(202);
    const { id } = await res.json<{ id: string }>();
    expect((await finishedJob(id, mia.auth)).status).toBe("succeeded");
    const { text } = await download(id, mia.auth);
    expect(text.split("\r\n")).toEqual([
      "settlement_id,period_start,period_end,currency,status,gross_sales,fees,refunds,payout,payout_id,settled_at",
      "stl_mia_0304,2026-03-04T00:00:00.000Z,2026-03-05T00:00:00.000Z,USD,settled,52.50,5.25,0.00,47.25,po_1,2026-03-05T00:10:00.000Z",
      "stl_mia_0331,2026-03-31T00:00:00.000Z,2026-04-01T00:00:00.000Z,USD,pending,,,,,,",
      "",
    ]);
  });

  it("emails the owner once, however often report.generated is delivered", async () => {
    const res = await requestReport(mia.auth, { type: "sales", from: "2026-03-01", to: "2026-03-07" });
    const { id } = await res.json<{ id: string }>();
    await finishedJob(id, mia.auth);
    const generated = await eventually(() => outboxEnvelope("report.generated", id));
    const [mail] = await eventually(async () => {
      const rows = await mailboxRows({ eventId: generated.id });
      return rows.length > 0 ? rows : null;
    });
    expect(mail).toMatchObject({ to: mia.email, subject: "Your report is ready", template: "report-ready" });
    expect(mail!.text).toContain(`/v1/reports/${id}/download`);

    await deliver("crossdock-email", [{ body: generated }, { body: generated }]);
    expect(await mailboxRows({ eventId: generated.id })).toHaveLength(1);
  });

  it("does not rebuild a ready report when report.requested comes again, even under a new event id", async () => {
    const res = await requestReport(mia.auth, { type: "sales", ...MARCH });
    const { id } = await res.json<{ id: string }>();
    await finishedJob(id, mia.auth);
    const before = await jobRow(id);
    const etag = (await env.FILES.head(`reports/${mia.id}/${id}.csv`))?.etag;
    const requested = (await outboxEnvelope("report.requested", id))!;
    const result = await deliver("crossdock-reports", [
      { body: requested },
      { body: { ...requested, id: `${requested.id}x` } },
    ]);
    expect(result.explicitAcks).toHaveLength(2);
    expect((await jobRow(id))?.version).toBe(before?.version);
    expect((await env.FILES.head(`reports/${mia.id}/${id}.csv`))?.etag).toBe(etag);
    expect(await outboxRowsOfType("report.generated", id)).toBe(1);
  });

  it("rebuilds from scratch after a build that died mid-way, counting progress once", async () => {
    const report = await insertReport(mia.id, { ...MARCH, status: "building" });
    // What the dead attempt left: a running job with some rows counted.
    await env.DB.prepare("UPDATE jobs SET status = 'running', processed = 999, total = 2 WHERE id = ?")
      .bind(report.id)
      .run();
    const result = await deliver("crossdock-reports", [{ body: requestedFact(report), attempts: 2 }]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await jobRow(report.id)).toMatchObject({ status: "succeeded", processed: 2, total: 2 });
    const { text } = await download(report.id, mia.auth);
    expect(text.split("\r\n")).toHaveLength(4);
  });

  it("rebuilds a report whose build died holding its claim once the claim's lease runs out, not after 15 minutes", async () => {
    const report = await insertReport(mia.id, { ...MARCH, status: "building" });
    const fact = requestedFact(report);
    // The dead build claimed the event, then its process died: nothing renewed or released the claim.
    const diedAt = Date.now();
    await dedupKey(env, "reports", fact.id).claim({
      leaseMs: reportsConsumer.leaseMs,
      ttlMs: 86_400_000,
      now: diedAt,
    });
    const redeliver = (afterMs: number) =>
      runConsumerOn(reportsConsumer, [{ body: fact, attempts: 2 }], {
        clock: manualClock(diedAt + afterMs).clock,
      });

    const early = await redeliver(10_000);
    expect(early.explicitAcks).toEqual([]);
    expect(early.retryMessages).toEqual([
      expect.objectContaining({ delaySeconds: (reportsConsumer.leaseMs - 10_000) / 1000 }),
    ]);
    expect(await jobRow(report.id)).toMatchObject({ status: "running" });

    // Half a minute after the build died, a delivery takes the event over and builds the file.
    const later = await redeliver(30_000);
    expect(later.explicitAcks).toHaveLength(1);
    expect(await jobRow(report.id)).toMatchObject({ status: "succeeded", processed: 2, total: 2 });
  });

  it("replays the 202 for a repeated Idempotency-Key instead of queueing a second report", async () => {
    const key = crypto.randomUUID();
    const body = { type: "sales", ...MARCH };
    const first = await requestReport(mia.auth, body, { "idempotency-key": key });
    const again = await requestReport(mia.auth, body, { "idempotency-key": key });
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect((await again.json<{ id: string }>()).id).toBe((await first.json<{ id: string }>()).id);
  });
});

async function outboxRowsOfType(type: string, subject: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM outbox WHERE type = ? AND subject = ?")
    .bind(type, subject)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe("who may ask for and read reports", () => {
  it("401 without a token; 403 for a buyer, an admin and a key without reports:read", async () => {
    const body = { type: "sales", ...MARCH };
    expect((await postJson("/v1/reports", body)).status).toBe(401);
    const buyer = await createTestUser("buyer");
    const admin = await createTestUser("admin");
    const importer = await createTestApiKey(mia.id, ["catalog:write", "orders:read"]);
    for (const auth of [buyer.auth, admin.auth, importer.auth]) {
      const res = await requestReport(auth, body);
      expect(res.status).toBe(403);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("accepts a merchant's reports:read key, and that key may download the result", async () => {
    const reporter = await createTestApiKey(mia.id, ["reports:read"]);
    const res = await requestReport(reporter.auth, { type: "products", ...MARCH });
    expect(res.status).toBe(202);
    const { id } = await res.json<{ id: string }>();
    expect((await finishedJob(id, reporter.auth)).status).toBe("succeeded");
    expect((await download(id, reporter.auth)).res.status).toBe(200);
    const other = await createTestApiKey(mia.id, ["catalog:write"]);
    expect((await call(`/v1/reports/${id}/download`, { headers: other.auth })).status).toBe(403);
  });

  it("answers another merchant's report, its job and an unknown id alike: 404", async () => {
    const report = await insertReport(mia.id, { status: "ready" });
    for (const path of [
      `/v1/reports/${report.id}/download`,
      `/v1/reports/${report.id}`,
      `/v1/jobs/${report.id}`,
      "/v1/reports/job_unknown/download",
    ]) {
      const res = await call(path, { headers: omar.auth });
      expect(res.status, path).toBe(404);
    }
  });
});

describe("downloading before the report is ready", () => {
  it("409 report-not-ready with Retry-After while queued or building", async () => {
    for (const status of ["queued", "building"] as const) {
      const report = await insertReport(mia.id, { status });
      const res = await call(`/v1/reports/${report.id}/download`, { headers: mia.auth });
      expect(res.status).toBe(409);
      expect(res.headers.get("retry-after")).toBe("5");
      expect(await res.json()).toMatchObject({ type: "/problems/report-not-ready", status: 409 });
    }
  });

  it("410 report-failed once the build has failed for good", async () => {
    const report = await insertReport(mia.id, { status: "failed" });
    const res = await call(`/v1/reports/${report.id}/download`, { headers: mia.auth });
    expect(res.status).toBe(410);
    expect(await res.json()).toMatchObject({ type: "/problems/report-failed" });
  });
});

describe("POST /v1/reports validation", () => {
  const cases: [string, unknown, string][] = [
    ["from after to", { type: "sales", from: "2026-03-02", to: "2026-03-01" }, "to"],
    ["a day that does not exist", { type: "sales", from: "2026-02-30", to: "2026-03-01" }, "from"],
    ["a malformed date", { type: "sales", from: "2026-3-1", to: "2026-03-01" }, "from"],
    ["a range over 366 days", { type: "sales", from: "2025-01-01", to: "2026-01-02" }, "to"],
    ["an unknown type", { type: "orders", ...MARCH }, "type"],
    ["a missing field", { type: "sales", from: "2026-03-01" }, "to"],
    ["an unknown field", { type: "sales", ...MARCH, format: "xlsx" }, "format"],
  ];
  it.each(cases)("400 for %s, naming the field", async (_, body, field) => {
    const res = await requestReport(mia.auth, body);
    expect(res.status).toBe(400);
    const problem = await res.json<{ type: string; errors: { field: string }[] }>();
    expect(problem.type).toBe("/problems/validation-error");
    expect(problem.errors.map((e) => e.field)).toContain(field);
  });

  it("reads ISO date-times as their UTC days", async () => {
    const res = await requestReport(mia.auth, {
      type: "sales",
      from: "2026-03-01T00:00:00Z",
      to: "2026-03-31T23:59:59.999+00:00",
    });
    expect(res.status).toBe(202);
    const { id } = await res.json<{ id: string }>();
    const meta = await call(`/v1/reports/${id}`, { headers: mia.auth });
    expect(await meta.json()).toMatchObject({ from: "2026-03-01", to: "2026-03-31" });
  });

  it("accepts exactly 366 days and settlements as a type", async () => {
    const res = await requestReport(mia.auth, { type: "settlements", from: "2024-01-01", to: "2024-12-31" });
    expect(res.status).toBe(202);
  });
});
