import type { RouteHandler } from "@hono/zod-openapi";
import { findReport, type Report } from "../../flows/reports/queries";
import { reportFileName, reportObjectKey } from "../../flows/reports/report";
import { reports } from "../../flows/reports/schema";
import { type Db, getDb } from "../../platform/db/client";
import { AppError, GoneError, NotFoundError } from "../../platform/errors";
import { newEvent } from "../../platform/events/new-event";
import { outboxStatements } from "../../platform/events/outbox";
import { publishAfterCommit } from "../../platform/events/publish";
import { csvAttachment } from "../../platform/files/csv-attachment";
import type { AppEnv } from "../../platform/http/app-env";
import { principalOf } from "../../platform/http/principal";
import { requestOrigin } from "../../platform/http/request-origin";
import { createJob } from "../../platform/jobs/job-statements";
import { toJobResponse } from "../jobs/jobs.schemas";
import type { createReport, downloadReport, getReport } from "./reports.routes";
import { toReportResponse } from "./reports.schemas";

/** How long a client is asked to wait before asking again for a report still being built. */
const NOT_READY_RETRY_SECONDS = 5;

/**
 * Records the report, its job and `report.requested` in one batch and answers 202 with the job: the
 * reports consumer builds the file. The report's id is the job's id.
 */
export const createReportHandler: RouteHandler<typeof createReport, AppEnv> = async (c) => {
  const { type, from, to } = c.req.valid("json");
  const { userId: ownerId } = principalOf(c);
  const db = getDb(c.env.DB);
  const now = Date.now();
  const { id, statement: job } = createJob(db, { ownerId, type: "report", now });
  const { causation, record: request } = requestOrigin(c, ownerId);
  const requested = newEvent(
    "report.requested",
    id,
    { reportId: id, ownerId, type, from, to },
    causation,
    "/crossdock/api",
    now,
  );
  const [, jobRows] = await db.batch([
    db.insert(reports).values({
      id,
      ownerId,
      type,
      fromDay: from,
      toDay: to,
      objectKey: reportObjectKey(ownerId, id),
      createdAt: now,
      updatedAt: now,
    }),
    job.returning(),
    ...outboxStatements(db, [requested], request, now),
  ]);
  c.get("log").info("reports.requested", { reportId: id, type, from, to, eventId: requested.id });
  publishAfterCommit(c, [requested]);
  const location = `/v1/jobs/${id}`;
  return c.json(toJobResponse(jobRows[0]!), 202, { Location: location });
};

/** The caller's report, or 404 for an unknown id and for someone else's alike. */
async function ownReport(db: Db, id: string, ownerId: string): Promise<Report> {
  const report = await findReport(db, id, ownerId);
  if (!report) throw new NotFoundError("report", id);
  return report;
}

export const getReportHandler: RouteHandler<typeof getReport, AppEnv> = async (c) => {
  const row = await ownReport(getDb(c.env.DB), c.req.valid("param").id, principalOf(c).userId);
  return c.json(toReportResponse(row), 200);
};

/** Streams a ready report from R2; refuses (409/410) one that is not, and never reads R2 for it. */
export const downloadReportHandler: RouteHandler<typeof downloadReport, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const report = await ownReport(getDb(c.env.DB), id, principalOf(c).userId);
  if (report.status === "failed") {
    throw new GoneError(
      `Report '${id}' could not be built and never will be; GET /v1/jobs/${id} says why. Request a new one.`,
      "report-failed",
    );
  }
  if (report.status !== "ready") {
    throw new AppError(
      409,
      "report-not-ready",
      "Report not ready",
      `Report '${id}' is ${report.status}; follow /v1/jobs/${id} and download it once it has succeeded.`,
      { reportStatus: report.status, jobUrl: `/v1/jobs/${id}` },
      { "Retry-After": String(NOT_READY_RETRY_SECONDS) },
    );
  }
  const object = await c.env.FILES.get(report.objectKey);
  // Ready means the object was completed before the row changed: a missing one is lost data, a 500.
  if (!object) throw new Error(`report ${id} is ready but ${report.objectKey} is missing from FILES`);
  const filename = reportFileName({ type: report.type, from: report.fromDay, to: report.toDay });
  return csvAttachment(object.body, filename, { size: object.size, etag: object.httpEtag });
};
