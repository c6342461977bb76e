import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { findReport, type Report } from "../../src/flows/reports/queries";
import {
  type ReportStatus,
  type ReportType,
  reportObjectKey,
  reportStatusOf,
} from "../../src/flows/reports/report";
import { type ReportRow, reports } from "../../src/flows/reports/schema";
import { getDb } from "../../src/platform/db/client";
import type { EventEnvelope } from "../../src/platform/events/envelope";
import { newId } from "../../src/platform/ids";
import { JOB_STATUSES } from "../../src/platform/jobs/job";
import { createJob } from "../../src/platform/jobs/job-statements";
import { jobs } from "../../src/platform/jobs/schema";
import { anEvent, eventually } from "./events";
import { call } from "./http";
import { insertOrder } from "./orders";
import type { TestProduct } from "./products";

/**
 * An order row already confirmed at `confirmedAt` (its confirm step's end, as the saga records it),
 * written straight into D1 without its facts, and the `order.confirmed` fact to deliver by hand.
 */
export async function aConfirmedOrder(buyerId: string, products: TestProduct[], confirmedAt: number) {
  const step = {
    name: "confirm-order",
    status: "succeeded",
    startedAt: confirmedAt - 5,
    finishedAt: confirmedAt,
    attempts: 1,
    detail: null,
  };
  const order = await insertOrder(buyerId, products, { status: "confirmed", steps: [step] });
  const lines = products.map((p) => ({
    productId: p.id,
    quantity: 1,
    unitPrice: p.priceMinor,
    merchantId: p.merchantId,
  }));
  const summary = { orderId: order.id, buyerId, amount: order.totalMinor, currency: order.currency, lines };
  return {
    order,
    confirmed: anEvent("order.confirmed", summary, confirmedAt),
    refunded: (at: number) => anEvent("order.refunded", summary, at),
  };
}

export interface SalesLine {
  order_id: string;
  line_no: number;
  merchant_id: string;
  product_id: string;
  sku: string | null;
  title: string;
  quantity: number;
  unit_price_minor: number;
  amount_minor: number;
  currency: string;
  confirmed_at: number;
  refunded_at: number | null;
  status: string;
}

export async function salesLinesOf(orderId: string): Promise<SalesLine[]> {
  const { results } = await env.DB.prepare("SELECT * FROM sales_lines WHERE order_id = ? ORDER BY line_no")
    .bind(orderId)
    .all<SalesLine>();
  return results;
}

/**
 * A report and its job written straight into D1, the job in the status that reads as the report's
 * `status`, with no `report.requested`, so no consumer builds it unless a test delivers the fact itself
 * (`requestedFact`).
 */
export async function insertReport(
  ownerId: string,
  o: { type?: ReportType; from?: string; to?: string; status?: ReportStatus } = {},
): Promise<Report> {
  const db = getDb(env.DB);
  const now = Date.now();
  const { id, statement } = createJob(db, { ownerId, type: "report", now, id: newId("job", now) });
  const row: ReportRow = {
    id,
    ownerId,
    type: o.type ?? "sales",
    fromDay: o.from ?? "2026-03-01",
    toDay: o.to ?? "2026-03-31",
    objectKey: reportObjectKey(ownerId, id),
    rows: null,
    bytes: null,
    createdAt: now,
    updatedAt: now,
    readyAt: null,
  };
  const status = o.status ?? "queued";
  const jobStatus = JOB_STATUSES.find((s) => reportStatusOf(s) === status)!;
  await db.batch([
    statement,
    db.update(jobs).set({ status: jobStatus }).where(eq(jobs.id, id)),
    db.insert(reports).values(row),
  ]);
  return { ...row, status };
}

/** The `report.requested` fact for a report row, as the route would have recorded it. */
export const requestedFact = (r: ReportRow) =>
  anEvent("report.requested", {
    reportId: r.id,
    ownerId: r.ownerId,
    type: r.type,
    from: r.fromDay,
    to: r.toDay,
  });

/** The report with its status (its job's), as the route reads it. */
export const reportRow = (id: string) => findReport(getDb(env.DB), id);

/** The envelope of a fact about `subject` as the outbox holds it (what the relay sent). */
export async function outboxEnvelope(type: string, subject: string): Promise<EventEnvelope | null> {
  const row = await env.DB.prepare("SELECT envelope FROM outbox WHERE type = ? AND subject = ?")
    .bind(type, subject)
    .first<{ envelope: string }>();
  return row ? (JSON.parse(row.envelope) as EventEnvelope) : null;
}

interface JobBody {
  id: string;
  status: string;
  progress: { processed: number; total: number | null; failed: number };
  result: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
}

/** Polls GET /v1/jobs/:id as its owner until the job has ended. */
export const finishedJob = (id: string, auth: { authorization: string }) =>
  eventually(async () => {
    const job = await (await call(`/v1/jobs/${id}`, { headers: auth })).json<JobBody>();
    return job.status === "succeeded" || job.status === "failed" ? job : null;
  }, 30_000);
