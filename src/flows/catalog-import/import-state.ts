import { eq, getTableColumns } from "drizzle-orm";
import type { SelectedFields } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import { isTerminalJobStatus, type JobStatus } from "../../platform/jobs/job";
import { jobs } from "../../platform/jobs/schema";
import { catalogImports } from "./schema";

/**
 * The columns of an import's row with its status, which is its job's (the only one stored). With
 * `chunkCount` it tells every stage apart: job `queued` (uploaded), `running` without a chunk count
 * (planning), `running` with one (planned), `succeeded`, `failed`.
 */
const importStateColumns = { ...getTableColumns(catalogImports), jobStatus: jobs.status };

/**
 * The import `importId` and its job's status, plus any `extra` columns, in one query.
 *
 * @example
 * const row = await importState(db, importId).get(); // { …import, jobStatus: "running" }
 */
export function importState<Extra extends SelectedFields>(
  db: Db,
  importId: string,
  extra: Extra = {} as Extra,
) {
  return db
    .select({ ...importStateColumns, ...extra })
    .from(catalogImports)
    .innerJoin(jobs, eq(jobs.id, catalogImports.id))
    .where(eq(catalogImports.id, importId));
}

/**
 * Whether the planner may still (re)plan an import: its job has not ended and its chunk count is not
 * known yet (not planned, or planned part-way by a planner that died).
 */
export const isPlannable = (row: { jobStatus: JobStatus; chunkCount: number | null }) =>
  !isTerminalJobStatus(row.jobStatus) && row.chunkCount === null;
