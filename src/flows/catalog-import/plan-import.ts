import type { Db } from "../../platform/db/client";
import type { ConsumerContext, D1Statement } from "../../platform/events/consumer";
import type { EventEnvelope } from "../../platform/events/envelope";
import { causedByEvent, newEvent } from "../../platform/events/new-event";
import { publishNow } from "../../platform/events/publish";
import type { CurrentEvent } from "../../platform/events/upcast";
import { failJob } from "../../platform/jobs/job-statements";
import { yieldToEventLoop } from "../../platform/yield-to-event-loop";
import { CHUNK_ROWS } from "./chunks";
import type { ChunkSource } from "./events";
import { finishImportStatements, unpublishedImported } from "./finish-import";
import { importState, isPlannable } from "./import-state";
import { importedFact } from "./imported-fact";
import { chunkKey, chunkStagedEventId } from "./keys";
import { type LineRange, LineRangeScanner } from "./line-ranges";
import { completePlanStatement, recordChunksStatements } from "./plan-statements";
import { UnreadableImportError } from "./staged-row";
import { stagedCsvLines } from "./staged-rows";

const SOURCE = "/crossdock/consumers/catalog-imports" as const;
const MAX_WRITES_IN_FLIGHT = 4;

/** Chunks per group (IMPORT_PLAN_GROUP_CHUNKS, default 10; tests set 1 to get many groups). */
export function planGroupChunks(env: Env): number {
  const n = Math.floor(Number(env.IMPORT_PLAN_GROUP_CHUNKS));
  return Number.isFinite(n) && n >= 1 ? n : 10;
}

/**
 * The planner (`catalog.import_uploaded`): streams the file from R2 and cuts it into chunks of
 * CHUNK_ROWS rows. An NDJSON file is only scanned for line breaks: each chunk is a byte range of the
 * upload (line-ranges.ts), which its applier reads with a ranged get and parses. A CSV file's records
 * are parsed here (one may span lines) and written to chunk objects under deterministic keys (a
 * redelivered planner rewrites the same objects). Every IMPORT_PLAN_GROUP_CHUNKS chunks it commits one batch recording them — the job
 * running with the rows planned so far as its total, one `catalog.import_chunk_staged` each — and
 * publishes them, so the appliers start while the rest of the file is still being read. Its last
 * batch, committed by the runtime with its dedup row, records the last group, marks the import
 * planned with its chunk count, and finishes it if every chunk was applied already.
 *
 * A planner that dies part-way is redelivered and plans again from the start: every group's writes are
 * idempotent (plan-statements.ts). A file that cannot be read (a CSV without the header) fails the job
 * with a code and a message instead of being retried.
 */
export async function planImport(
  event: CurrentEvent<"catalog.import_uploaded">,
  { env, db, log, now, afterCommit }: ConsumerContext,
): Promise<D1Statement[]> {
  const { importId } = event.data;
  const row = await importState(db, importId).get();
  // Planned already (or failed, or completed): nothing to do. Running unplanned is a planner that died.
  if (!row || !isPlannable(row)) return [];
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
  const groupSize = planGroupChunks(env);
  let chunks = 0;
  let plannedRows = 0;
  let group: EventEnvelope[] = [];
  let pending: string[] = [];
  let ignoredColumns: string[] = [];
  // Chunk writes overlap with reading the file, a few at a time: one at a time, the planner spent most
  // of its time waiting on R2 (bench:imports); more in flight would hold more chunks in memory.
  const inFlight = new Set<Promise<unknown>>();
  const publishing: Promise<void>[] = [];
  const stagedFact = (chunk: number, rows: number, source: ChunkSource) => ({
    ...newEvent(
      "catalog.import_chunk_staged",
      importId,
      { importId, merchantId: row.merchantId, chunk, rows, source },
      causedByEvent(event),
      SOURCE,
      now,
    ),
    id: chunkStagedEventId(importId, chunk),
  });
  const recordGroup = async () => {
    // A fact is recorded only once its chunk's object (if it has one) is written.
    await Promise.all(inFlight);
    const facts = group;
    group = [];
    const [first, ...rest] = recordChunksStatements(db, { importId, facts, plannedRows, now });
    await db.batch([first!, ...rest]);
    publishing.push(publishNow(env, facts, log));
    // Otherwise, locally, no chunk would be delivered before the whole file was planned.
    await yieldToEventLoop();
  };
  const stage = async (rows: number, source: ChunkSource, write?: Promise<unknown>) => {
    group.push(stagedFact(chunks, rows, source));
    chunks += 1;
    plannedRows += rows;
    if (write) {
      const tracked = write.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    }
    if (group.length === groupSize) await recordGroup();
    else if (inFlight.size >= MAX_WRITES_IN_FLIGHT) await Promise.race(inFlight);
  };
  const flushCsv = async () => {
    const key = chunkKey(importId, chunks);
    const write = env.FILES.put(key, pending.join("\n"));
    const rows = pending.length;
    pending = [];
    await stage(rows, { kind: "chunk", key }, write);
  };
  try {
    if (row.format === "ndjson") {
      // NDJSON rows are not copied: each chunk is a byte range of the upload, read by its applier.
      const ranges = new LineRangeScanner(CHUNK_ROWS);
      const stageRanges = async (found: LineRange[]) => {
        for (const { rows, ...range } of found) {
          await stage(rows, { kind: "range", key: row.objectKey, ...range });
        }
      };
      for await (const bytes of source.body) await stageRanges(ranges.push(bytes));
      await stageRanges(ranges.end());
    } else {
      for await (const line of stagedCsvLines(source.body, (header) => {
        ignoredColumns = header.ignored;
      })) {
        pending.push(line);
        if (pending.length === CHUNK_ROWS) await flushCsv();
      }
      if (pending.length > 0) await flushCsv();
    }
    await Promise.all(inFlight);
  } catch (err) {
    await Promise.allSettled([...inFlight, ...publishing]);
    if (err instanceof UnreadableImportError) return failImport(db, importId, err.code, err.message, now);
    throw err;
  }
  await Promise.all(publishing);
  const last = group;
  afterCommit(async () => {
    await publishNow(env, last, log);
    const finished = await unpublishedImported(db, importId);
    if (finished) await publishNow(env, [finished], log);
  });
  log.info("catalog-import.planned", { importId, rows: plannedRows, chunks });
  return [
    ...recordChunksStatements(db, { importId, facts: last, plannedRows, now }),
    completePlanStatement(db, { importId, rows: plannedRows, chunks, ignoredColumns, now }),
    // If every chunk was applied before planning completed (or there is none), this batch finishes it.
    ...finishImportStatements(db, importId, importedFact(event, row, SOURCE, now), now),
  ];
}

/** The import fails with its job: the job's status is the import's. */
function failImport(db: Db, importId: string, code: string, message: string, now: number): D1Statement[] {
  return [failJob(db, importId, { code, message }, now)];
}
