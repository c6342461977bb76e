import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { catalogImports } from "../../db/schema-imports";
import { CHUNK_ROWS } from "../../domain/catalog-import/chunks";
import { CsvParser } from "../../domain/catalog-import/csv-parser";
import type { ImportFormat } from "../../domain/catalog-import/formats";
import { LineSplitter } from "../../domain/catalog-import/line-splitter";
import {
  csvColumns,
  type StagedRow,
  stageCsvRecord,
  stageNdjsonLine,
  UnreadableImportError,
} from "../../domain/catalog-import/staged-row";
import type { CurrentEvent } from "../../domain/events/upcast";
import type { ConsumerContext, D1Statement } from "../events/consumer";
import { causedByEvent, newEvent } from "../events/new-event";
import { outboxStatements } from "../events/outbox";
import { publishNow } from "../events/publish";
import { failJob, startJob } from "../jobs/job-statements";
import { finishImportStatements, unpublishedImported } from "./finish-import";
import { importedFact } from "./imported-fact";
import { chunkKey, chunkStagedEventId } from "./keys";

const SOURCE = "/crossdock/consumers/catalog-imports" as const;
const MAX_WRITES_IN_FLIGHT = 4;

/**
 * The planner (`catalog.import_uploaded`): streams the file from R2, reads its rows and writes them in
 * chunks of CHUNK_ROWS to R2 under deterministic keys (a redelivered planner rewrites the same
 * objects). Then one batch starts the job with its total, marks the import planned and records one
 * `catalog.import_chunk_staged` per chunk. A file that cannot be read (a CSV without the header) fails
 * the job with a code and a message instead of being retried.
 */
export async function planImport(
  event: CurrentEvent<"catalog.import_uploaded">,
  { env, db, log, now, afterCommit }: ConsumerContext,
): Promise<D1Statement[]> {
  const { importId } = event.data;
  const row = await db.select().from(catalogImports).where(eq(catalogImports.id, importId)).get();
  if (row?.status !== "uploaded") return []; // planned already (or failed): nothing to do
  const source = await env.FILES.get(row.objectKey);
  if (!source) {
    return failImport(
      db,
      importId,
      "file-missing",
      "The uploaded file is no longer stored; upload it again.",
      now,
    );
  }
  const chunks: number[] = [];
  // Chunk writes overlap with reading the file, a few at a time: one at a time, the planner spent most
  // of its time waiting on R2 (bench:imports); more in flight would hold more chunks in memory.
  const inFlight = new Set<Promise<unknown>>();
  let pending: StagedRow[] = [];
  const flush = async () => {
    const write = env.FILES.put(
      chunkKey(importId, chunks.length),
      pending.map((r) => JSON.stringify(r)).join("\n"),
    );
    chunks.push(pending.length);
    pending = [];
    const tracked = write.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= MAX_WRITES_IN_FLIGHT) await Promise.race(inFlight);
  };
  try {
    for await (const staged of stagedRows(source.body, row.format)) {
      pending.push(staged);
      if (pending.length === CHUNK_ROWS) await flush();
    }
    if (pending.length > 0) await flush();
  } catch (err) {
    await Promise.allSettled(inFlight);
    if (err instanceof UnreadableImportError) return failImport(db, importId, err.code, err.message, now);
    throw err;
  }
  await Promise.all(inFlight);
  const total = chunks.reduce((a, b) => a + b, 0);
  const staged = chunks.map((rows, chunk) => ({
    ...newEvent(
      "catalog.import_chunk_staged",
      importId,
      { importId, merchantId: row.merchantId, chunk, rows, objectKey: chunkKey(importId, chunk) },
      causedByEvent(event),
      SOURCE,
      now,
    ),
    id: chunkStagedEventId(importId, chunk),
  }));
  const imported = importedFact(event, row, SOURCE, now);
  afterCommit(async () => {
    await publishNow(env, staged, log);
    const finished = await unpublishedImported(db, importId);
    if (finished) await publishNow(env, [finished], log);
  });
  log.info("catalog-import.planned", { importId, rows: total, chunks: chunks.length });
  return [
    startJob(db, importId, now, total),
    db
      .update(catalogImports)
      .set({ status: "planned", rows: total, chunkCount: chunks.length, updatedAt: now })
      .where(eq(catalogImports.id, importId)),
    ...outboxStatements(db, staged, undefined, now).map((s) => s.onConflictDoNothing()),
    // An empty file has no chunk to finish it: it finishes here.
    ...(chunks.length === 0 ? finishImportStatements(db, importId, imported, now) : []),
  ];
}

function failImport(db: Db, importId: string, code: string, message: string, now: number): D1Statement[] {
  return [
    failJob(db, importId, { code, message }, now),
    db
      .update(catalogImports)
      .set({ status: "failed", updatedAt: now })
      .where(eq(catalogImports.id, importId)),
  ];
}

/** The file's rows in order, read from a stream: blank lines are not rows. */
async function* stagedRows(
  body: ReadableStream<Uint8Array>,
  format: ImportFormat,
): AsyncGenerator<StagedRow> {
  const text = body.pipeThrough(new TextDecoderStream());
  if (format === "ndjson") {
    const lines = new LineSplitter();
    for await (const piece of text) {
      for (const l of lines.push(piece)) {
        const staged = stageNdjsonLine(l);
        if (staged) yield staged;
      }
    }
    for (const l of lines.end()) {
      const staged = stageNdjsonLine(l);
      if (staged) yield staged;
    }
    return;
  }
  const parser = new CsvParser();
  let columns: string[] | null = null;
  const rows = function* (records: ReturnType<CsvParser["push"]>) {
    for (const record of records) {
      if (columns === null) columns = csvColumns(record);
      else yield stageCsvRecord(columns, record);
    }
  };
  for await (const piece of text) yield* rows(parser.push(piece));
  yield* rows(parser.end());
  if (columns === null) {
    throw new UnreadableImportError(
      "invalid-csv-header",
      "The file is empty: a CSV import needs a header line.",
    );
  }
}
