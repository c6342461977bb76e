import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../../platform/db/client";
import type { D1Statement } from "../../platform/events/consumer";
import type { EventEnvelope } from "../../platform/events/envelope";
import { outboxStatements } from "../../platform/events/outbox";
import { jobIsOpen } from "../../platform/jobs/job-statements";
import { jobs } from "../../platform/jobs/schema";
import { mergeIgnoredColumns } from "./ignored-columns";
import { catalogImports } from "./schema";

/** `isPlannable` (import-state.ts), as SQL. */
const plannable = (db: Db, importId: string) =>
  and(eq(catalogImports.id, importId), isNull(catalogImports.chunkCount), jobIsOpen(db, importId));

/**
 * The statements that record one group of staged chunks, in one D1 batch: the job is running (the
 * import is being planned) and its `total` is the rows planned so far, and each chunk's
 * `catalog.import_chunk_staged` is in the outbox. All of it is idempotent, so a planner that runs again
 * from the start writes nothing twice: the facts' ids are derived from the import and the chunk number
 * (`ON CONFLICT DO NOTHING`), and `plannedRows` is a count from the file's start, the same on every
 * run, which the total only ever rises to (`max`), never adds.
 */
export function recordChunksStatements(
  db: Db,
  input: { importId: string; facts: readonly EventEnvelope[]; plannedRows: number; now: number },
): D1Statement[] {
  const { importId, facts, plannedRows, now } = input;
  return [
    db
      .update(jobs)
      .set({
        status: "running",
        startedAt: sql`coalesce(${jobs.startedAt}, ${now})`,
        total: sql`max(coalesce(${jobs.total}, 0), ${plannedRows})`,
        updatedAt: now,
        version: sql`${jobs.version} + 1`,
      })
      .where(and(eq(jobs.id, importId), inArray(jobs.status, ["queued", "running"]))),
    ...outboxStatements(db, facts, undefined, now).map((s) => s.onConflictDoNothing()),
  ];
}

/**
 * Planning is complete: the import records its row and chunk count (and a CSV header's ignored
 * columns), which makes it planned, the state in which the finishing statements (finish-import.ts) may
 * complete it. Committed in the planner's last
 * batch, before those statements, so an import whose chunks were all applied while it was being
 * planned is finished by this batch, and otherwise by the batch of its last chunk.
 */
export function completePlanStatement(
  db: Db,
  input: { importId: string; rows: number; chunks: number; ignoredColumns: readonly string[]; now: number },
) {
  const { importId, rows, chunks, ignoredColumns, now } = input;
  return db
    .update(catalogImports)
    .set({
      rows,
      chunkCount: chunks,
      // A CSV header's ignored columns (an NDJSON file's ignored fields are found by the appliers).
      ...(ignoredColumns.length > 0 ? { ignoredColumns: mergeIgnoredColumns(ignoredColumns) } : {}),
      updatedAt: now,
    })
    .where(plannable(db, importId));
}
