import { eq, sql } from "drizzle-orm";
import type { Db } from "../../platform/db/client";
import type { ConsumerContext, D1Statement } from "../../platform/events/consumer";
import { publishNow } from "../../platform/events/publish";
import type { CurrentEvent } from "../../platform/events/upcast";
import { newId } from "../../platform/ids";
import { addJobProgress } from "../../platform/jobs/job-statements";
import { products } from "../catalog/schema";
import { finishImportStatements, unpublishedImported } from "./finish-import";
import { mergeIgnoredColumns } from "./ignored-columns";
import { collectIgnoredFields, type ImportProduct, validateImportRow } from "./import-row";
import { importState } from "./import-state";
import { importedFact } from "./imported-fact";
import { readStagedRows } from "./read-chunk";
import { catalogImportChunks, catalogImportErrors, catalogImports } from "./schema";

const SOURCE = "/crossdock/consumers/catalog-imports" as const;

/**
 * D1 stores at most 2 MB in one value, a bound JSON parameter included: good rows go to the upsert in
 * slices of at most this many characters (a chunk of short rows is one statement).
 */
const MAX_JSON_CHARS = 1_000_000;

/**
 * The applier (`catalog.import_chunk_staged`): reads the chunk (a range of the uploaded NDJSON file,
 * or a chunk object the planner wrote), validates each row, and returns one
 * batch that upserts the good rows, records the bad ones with their line and reason, adds the job's
 * progress, counts the chunk on the import (and the fields it ignored), and finishes the import if it
 * was the last chunk.
 *
 * Applied once: the batch starts by inserting the chunk's `catalog_import_chunks` row, whose primary
 * key aborts the whole batch if the chunk was applied already, by any event. A chunk found applied
 * before building the batch is a no-op (the runtime still records the event as processed).
 */
export async function applyChunk(
  event: CurrentEvent<"catalog.import_chunk_staged">,
  { env, db, log, now, afterCommit }: ConsumerContext,
): Promise<D1Statement[]> {
  const { importId, merchantId, chunk } = event.data;
  // One query for both: whether this chunk was applied already, and the import.
  const row = await importState(db, importId, {
    applied: sql<number>`exists (select 1 from ${catalogImportChunks} where ${catalogImportChunks.importId} = ${importId} and ${catalogImportChunks.chunk} = ${chunk})`,
  }).get();
  if (row?.applied) {
    log.info("catalog-import.chunk-already-applied", { importId, chunk });
    return [];
  }
  // A chunk is staged only with its job running; it is applied while the planner still reads the rest
  // of the file, too (the import not yet planned), and never once the job has ended.
  if (row?.jobStatus !== "running") return [];
  const good: ImportProduct[] = [];
  const bad: { line: number; reason: string }[] = [];
  const ignored = new Set<string>();
  // NDJSON rows are parsed here, not by the planner (read-chunk.ts).
  const staged = await readStagedRows(env.FILES, event.data.source);
  const rows = staged.length;
  for (const s of staged) {
    if ("error" in s) {
      bad.push({ line: s.line, reason: s.error });
      continue;
    }
    collectIgnoredFields(s.fields, ignored);
    const verdict = validateImportRow(s.fields);
    if (verdict.ok) good.push(verdict.product);
    else bad.push({ line: s.line, reason: verdict.reason });
  }

  afterCommit(async () => {
    const finished = await unpublishedImported(db, importId);
    if (finished) await publishNow(env, [finished], log);
  });
  return [
    db.insert(catalogImportChunks).values({
      importId,
      chunk,
      upserted: good.length,
      rejected: bad.length,
      appliedAt: now,
    }),
    ...upsertProducts(db, merchantId, good, now),
    ...(bad.length > 0 ? [insertErrors(db, importId, bad)] : []),
    addJobProgress(db, importId, { processed: rows, failed: bad.length }, now),
    db
      .update(catalogImports)
      .set({
        chunksApplied: sql`${catalogImports.chunksApplied} + 1`,
        upserted: sql`${catalogImports.upserted} + ${good.length}`,
        rejected: sql`${catalogImports.rejected} + ${bad.length}`,
        ...(ignored.size > 0 ? { ignoredColumns: mergeIgnoredColumns(ignored) } : {}),
        updatedAt: now,
      })
      .where(eq(catalogImports.id, importId)),
    ...finishImportStatements(db, importId, importedFact(event, row, SOURCE, now), now),
  ];
}

/**
 * Upserts rows keyed by (merchant, SKU) with ONE statement per slice binding ONE JSON parameter: D1
 * binds at most 100 parameters per statement. (Written as drizzle INSERT … SELECT: drizzle's D1 batch
 * cannot run a bound raw `db.run(sql)` statement.) New products get fresh `prd_…` ids; existing ones keep
 * theirs and get the file's values (the FTS5 update trigger re-indexes title, description, category).
 */
export function upsertProducts(
  db: Db,
  merchantId: string,
  rows: readonly ImportProduct[],
  now: number,
): D1Statement[] {
  const statements: D1Statement[] = [];
  let slice: string[] = [];
  let chars = 0;
  const flush = () => {
    if (slice.length === 0) return;
    const json = `[${slice.join(",")}]`;
    statements.push(
      // drizzle inserts into every column in table order, so the select starts with seq (null: assigned).
      db
        .insert(products)
        .select(
          sql`select null, value ->> 0, ${merchantId}, value ->> 1, value ->> 2, value ->> 3, value ->> 4,
            value ->> 5, value ->> 6, value ->> 7, ${now}, ${now} from json_each(${json}) where true`,
        )
        .onConflictDoUpdate({
          target: [products.merchantId, products.sku],
          set: {
            title: sql`excluded.title`,
            description: sql`excluded.description`,
            category: sql`excluded.category`,
            priceMinor: sql`excluded.price_minor`,
            currency: sql`excluded.currency`,
            stock: sql`excluded.stock`,
            updatedAt: sql`excluded.updated_at`,
          },
        }),
    );
    slice = [];
    chars = 0;
  };
  for (const r of rows) {
    const encoded = JSON.stringify([
      newId("prd", now),
      r.sku,
      r.title,
      r.description,
      r.category,
      r.priceMinor,
      r.currency,
      r.stock,
    ]);
    if (chars + encoded.length > MAX_JSON_CHARS) flush();
    slice.push(encoded);
    chars += encoded.length + 1;
  }
  flush();
  return statements;
}

function insertErrors(db: Db, importId: string, bad: { line: number; reason: string }[]): D1Statement {
  const json = JSON.stringify(bad.map((b) => [b.line, b.reason]));
  return db
    .insert(catalogImportErrors)
    .select(sql`select ${importId}, value ->> 0, value ->> 1 from json_each(${json}) where true`)
    .onConflictDoNothing();
}
