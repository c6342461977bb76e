import { and, eq, exists, gte, inArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../platform/db/client";
import type { D1Statement } from "../../platform/events/consumer";
import type { EventEnvelope } from "../../platform/events/envelope";
import { outbox } from "../../platform/events/schema";
import { jobs } from "../../platform/jobs/schema";
import { errorsUrlOf, importedEventId } from "./keys";
import { catalogImports } from "./schema";

/**
 * The statements that finish an import, appended to the batch of every chunk (and of a planner that
 * found no rows). They act only in the batch that applies the last chunk: the job (whose status is the
 * import's) flips from running to `succeeded` when the import is planned (its chunk count known) and
 * its applied chunks reach that count, and the `catalog.imported` fact follows that flip. D1 runs
 * batches one at a time, so of two chunks finishing together exactly one sees the count reached; the
 * fact's id is derived from the import id, so even a repeated finish could not write it twice. The counts come from the import row, which every chunk
 * has added to, so they are written in SQL rather than known here (and `succeedJob`, which takes a
 * result value, cannot be used).
 *
 * `imported` is the fact's envelope with placeholder counts; SQL sets the real ones.
 */
export function finishImportStatements(
  db: Db,
  importId: string,
  imported: EventEnvelope,
  now: number,
): D1Statement[] {
  // A null chunk count (planning not complete) compares as null: not all applied.
  const allApplied = exists(
    db
      .select({ id: catalogImports.id })
      .from(catalogImports)
      .where(
        and(eq(catalogImports.id, importId), gte(catalogImports.chunksApplied, catalogImports.chunkCount)),
      ),
  );
  const ofImport = (expr: SQL) =>
    sql`(select ${expr} from ${catalogImports} where ${catalogImports.id} = ${importId})`;
  return [
    db
      .update(jobs)
      .set({
        status: "succeeded",
        finishedAt: now,
        updatedAt: now,
        version: sql`${jobs.version} + 1`,
        processed: ofImport(sql`rows`),
        result: ofImport(
          sql`json_object('rows', rows, 'upserted', upserted, 'rejected', rejected, 'errorsUrl', ${errorsUrlOf(importId)},
            'ignoredColumns', json(coalesce(ignored_columns, '[]')))`,
        ),
      })
      .where(and(eq(jobs.id, importId), inArray(jobs.status, ["queued", "running"]), allApplied)),
    // Every outbox column in table order (drizzle's INSERT … SELECT lists them all).
    db
      .insert(outbox)
      .select(
        sql`select ${imported.id}, ${imported.type}, ${imported.subject}, ${imported.correlationid},
          json_set(${JSON.stringify(imported)}, '$.data.rows', rows, '$.data.upserted', upserted,
            '$.data.rejected', rejected), ${now}, null, 0, null, null
          from catalog_imports where id = ${importId}
            and exists (select 1 from jobs where id = ${importId} and status = 'succeeded')`,
      )
      .onConflictDoNothing(),
  ];
}

/** The `catalog.imported` fact, if this import's finish wrote it and it is not published yet. */
export async function unpublishedImported(db: Db, importId: string): Promise<EventEnvelope | null> {
  const row = await db.get<{ envelope: string } | undefined>(
    sql`select envelope from outbox where id = ${importedEventId(importId)} and published_at is null`,
  );
  return row ? (JSON.parse(row.envelope) as EventEnvelope) : null;
}
