import { and, eq } from "drizzle-orm";
import { reports } from "../../flows/reports/schema";
import type { Db } from "../../platform/db/client";
import { jobIsOpen } from "../../platform/jobs/job-statements";

/**
 * The report row's one write after creation, for the consumer's last batch, before the job succeeds:
 * its size and when it was ready. Conditional on the job not having ended (its status is the report's),
 * so a late or repeated attempt cannot rewrite a finished report.
 */
export const markReady = (db: Db, id: string, size: { rows: number; bytes: number }, now: number) =>
  db
    .update(reports)
    .set({ rows: size.rows, bytes: size.bytes, readyAt: now, updatedAt: now })
    .where(and(eq(reports.id, id), jobIsOpen(db, id)));
