import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sourceKey } from "../../../src/flows/catalog-import/keys";
import { filesBreakingOff, uploadedImport } from "../../support/catalog-import-planning";
import { finishedJob, importRow, ndjson, outboxRowsFor } from "../../support/catalog-imports";
import { eventually } from "../../support/events";
import { jobRow } from "../../support/jobs";
import { deliver } from "../../support/queues";
import { createTestUser } from "../../support/users";

const PLANNER_QUEUE = "crossdock-catalog-imports";
/** One chunk per group: a file of a few chunks is planned (and recorded) in as many batches. */
const ONE_CHUNK_GROUPS = { IMPORT_PLAN_GROUP_CHUNKS: "1" };

const rowsOf = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => importRow(`${prefix}-${i}`));

/** The import's counters with its status, which is its job's. */
async function importState(id: string) {
  return env.DB.prepare(
    `SELECT j.status, i.rows, i.chunk_count AS chunkCount, i.chunks_applied AS chunksApplied
     FROM catalog_imports i JOIN jobs j ON j.id = i.id WHERE i.id = ?`,
  )
    .bind(id)
    .first<{ status: string; rows: number | null; chunkCount: number | null; chunksApplied: number }>();
}

async function productCount(merchantId: string) {
  return (
    await env.DB.prepare("SELECT count(*) AS n FROM products WHERE merchant_id = ?")
      .bind(merchantId)
      .first<{ n: number }>()
  )?.n;
}

describe("planning in groups while chunks are applied", () => {
  it("records a 2,500-row file in three groups and finishes exactly once", async () => {
    const merchant = await createTestUser("merchant");
    const { id, uploaded } = await uploadedImport(merchant.id, ndjson(rowsOf(2_500, "G")));

    const planned = await deliver(PLANNER_QUEUE, [{ body: uploaded }], ONE_CHUNK_GROUPS);
    expect(planned.retryMessages).toEqual([]);

    const job = await finishedJob(id, 30_000);
    expect(job).toMatchObject({ status: "succeeded", total: 2_500, processed: 2_500, failed: 0 });
    expect(job.result).toMatchObject({ rows: 2_500, upserted: 2_500, rejected: 0 });
    expect(await importState(id)).toEqual({
      status: "succeeded",
      rows: 2_500,
      chunkCount: 3,
      chunksApplied: 3,
    });
    expect((await outboxRowsFor("catalog.import_chunk_staged", id)).map((r) => r.id).sort()).toHaveLength(3);
    expect(await outboxRowsFor("catalog.imported", id)).toHaveLength(1);
    expect(await productCount(merchant.id)).toBe(2_500);
  });

  it("all chunks applied before planning completes: the planner's last batch finishes the import", async () => {
    const merchant = await createTestUser("merchant");
    const { id, uploaded } = await uploadedImport(merchant.id, ndjson(rowsOf(2_000, "A")));

    // Both chunks are recorded (one group each), then the read breaks off before planning completes.
    const broken = await deliver(PLANNER_QUEUE, [{ body: uploaded }], {
      ...ONE_CHUNK_GROUPS,
      FILES: filesBreakingOff(sourceKey(id)),
    });
    expect(broken.retryMessages).toHaveLength(1);
    const staged = await outboxRowsFor("catalog.import_chunk_staged", id);
    expect(staged).toHaveLength(2);

    // The chunk consumer applies both (it got them from the planner; delivering them again is a no-op).
    await deliver(
      "crossdock-catalog-import-chunks",
      staged.map((s) => ({ body: JSON.parse(s.envelope) })),
    );
    const applied = await eventually(async () => {
      const s = await importState(id);
      return s?.chunksApplied === 2 ? s : null;
    });
    // Every chunk is applied, but planning has not completed: the import is not finished.
    expect(applied).toEqual({ status: "running", rows: null, chunkCount: null, chunksApplied: 2 });
    expect(await jobRow(id)).toMatchObject({ status: "running", total: 2_000, processed: 2_000 });
    expect(await outboxRowsFor("catalog.imported", id)).toHaveLength(0);

    // The redelivered planner completes the plan, and its batch is the one that finishes the import.
    const again = await deliver(PLANNER_QUEUE, [{ body: uploaded, attempts: 2 }], ONE_CHUNK_GROUPS);
    expect(again.retryMessages).toEqual([]);
    expect(await jobRow(id)).toMatchObject({ status: "succeeded", total: 2_000, processed: 2_000 });
    expect(await importState(id)).toEqual({
      status: "succeeded",
      rows: 2_000,
      chunkCount: 2,
      chunksApplied: 2,
    });
    const imported = await outboxRowsFor("catalog.imported", id);
    expect(imported).toHaveLength(1);
    const fact = JSON.parse(imported[0]!.envelope) as { causationid: string; data: { rows: number } };
    expect(fact).toMatchObject({ causationid: uploaded.id, data: { rows: 2_000 } });
    expect(await outboxRowsFor("catalog.import_chunk_staged", id)).toHaveLength(2);
  });

  it("a planner redelivered after a partial plan records no fact twice, counts the total once, finishes once", async () => {
    const merchant = await createTestUser("merchant");
    const text = ndjson(rowsOf(2_500, "R"));
    const { id, uploaded } = await uploadedImport(merchant.id, text);

    // The read breaks off after about 1,500 rows: chunk 0 is recorded, the rest is lost with the worker.
    const cut = new TextEncoder().encode(ndjson(rowsOf(1_500, "R"))).length;
    const broken = await deliver(PLANNER_QUEUE, [{ body: uploaded }], {
      ...ONE_CHUNK_GROUPS,
      FILES: filesBreakingOff(sourceKey(id), cut),
    });
    expect(broken.retryMessages).toHaveLength(1);
    expect(await outboxRowsFor("catalog.import_chunk_staged", id)).toHaveLength(1);
    // The total so far is the rows planned so far.
    expect((await jobRow(id))?.total).toBe(1_000);
    expect(await importState(id)).toMatchObject({ status: "running", chunkCount: null });

    const again = await deliver(PLANNER_QUEUE, [{ body: uploaded, attempts: 2 }], ONE_CHUNK_GROUPS);
    expect(again.retryMessages).toEqual([]);
    const job = await finishedJob(id, 30_000);
    expect(job).toMatchObject({ status: "succeeded", total: 2_500, processed: 2_500, failed: 0 });
    expect(job.result).toMatchObject({ rows: 2_500, upserted: 2_500 });
    const staged = await outboxRowsFor("catalog.import_chunk_staged", id);
    expect(staged.map((s) => s.id).sort()).toEqual(
      [0, 1, 2].map((n) => `evt_${id.replace(/^job_/, "")}_chunk_${n}`).sort(),
    );
    expect(await importState(id)).toEqual({
      status: "succeeded",
      rows: 2_500,
      chunkCount: 3,
      chunksApplied: 3,
    });
    expect(await outboxRowsFor("catalog.imported", id)).toHaveLength(1);
    expect(await productCount(merchant.id)).toBe(2_500);
  });
});
