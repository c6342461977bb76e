import { and, eq } from "drizzle-orm";
import type { Db } from "../../platform/db/client";
import { jobs } from "../../platform/jobs/schema";
import { type ReportStatus, reportStatusOf } from "./report";
import { type ReportRow, reports } from "./schema";

/** A report's row with its status, read from its job: what the route answers and the consumer checks. */
export type Report = ReportRow & { status: ReportStatus };

/**
 * The report `id` with its job's status, or undefined when there is none (or, given `ownerId`, when it
 * is someone else's).
 *
 * @example
 * const report = await findReport(db, id, ownerId); // { …row, status: "building" }
 */
export async function findReport(db: Db, id: string, ownerId?: string): Promise<Report | undefined> {
  const found = await db
    .select({ report: reports, jobStatus: jobs.status })
    .from(reports)
    .innerJoin(jobs, eq(jobs.id, reports.id))
    .where(and(eq(reports.id, id), ownerId === undefined ? undefined : eq(reports.ownerId, ownerId)))
    .get();
  return found && { ...found.report, status: reportStatusOf(found.jobStatus) };
}
