import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../../src/index";
import { finishedJob, importRow, ndjson, outboxRowsFor, upload } from "../../support/catalog-imports";
import { call } from "../../support/http";
import { jobRow } from "../../support/jobs";
import { deliver } from "../../support/queues";
import { createTestUser } from "../../support/users";

const QUEUE = "crossdock-catalog-imports";

/** A body without Content-Length (chunked), sent in pieces. */
function chunkedBody(text: string, pieces = 4): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  const size = Math.ceil(bytes.length / pieces);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}

/** Calls the worker directly, so a var (MAX_IMPORT_BYTES) can be changed for one request. */
async function fetchWith(request: Request, overrides: Partial<Env>) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    request as Request<unknown, IncomingRequestCfProperties>,
    { ...env, ...overrides },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

const chunkedUpload = (text: string, auth: { authorization: string }) =>
  new Request("https://crossdock.test/v1/catalog/imports", {
    method: "POST",
    headers: { ...auth, "content-type": "application/x-ndjson" },
    body: chunkedBody(text),
  });

describe("chunked uploads (no Content-Length)", () => {
  it("are stored through a multipart upload and imported", async () => {
    const merchant = await createTestUser("merchant");
    const text = ndjson([importRow("CH-1"), importRow("CH-2")]);
    const res = await fetchWith(chunkedUpload(text, merchant.auth), {});
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const job = await finishedJob(id);
    expect(job.result).toMatchObject({ rows: 2, upserted: 2 });
    const source = await env.FILES.get(`imports/${id}/source`);
    expect(await source?.text()).toBe(text);
  });

  it("stop with 413 past MAX_IMPORT_BYTES and leave nothing stored", async () => {
    const merchant = await createTestUser("merchant");
    const before = (await env.FILES.list({ prefix: "imports/" })).objects.length;
    const text = ndjson(Array.from({ length: 40 }, (_, i) => importRow(`BIG-${i}`)));
    const res = await fetchWith(chunkedUpload(text, merchant.auth), { MAX_IMPORT_BYTES: "1000" });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ type: "/problems/payload-too-large", limitBytes: 1000 });
    expect((await env.FILES.list({ prefix: "imports/" })).objects.length).toBe(before);
    const imports = await env.DB.prepare("SELECT count(*) AS n FROM catalog_imports WHERE merchant_id = ?")
      .bind(merchant.id)
      .first<{ n: number }>();
    expect(imports?.n).toBe(0);
  });
});

describe("chunk delivery", () => {
  it("splits a large file into chunks and finishes once, whatever order the chunks land in", async () => {
    const merchant = await createTestUser("merchant");
    const rows = Array.from({ length: 2_500 }, (_, i) =>
      importRow(`M-${i}`, i % 500 === 7 ? { price: "free" } : {}),
    );
    const { id } = (await (await upload(ndjson(rows), merchant.auth)).json()) as { id: string };
    const job = await finishedJob(id, 30_000);
    expect(job.status).toBe("succeeded");
    expect(job.result).toMatchObject({ rows: 2_500, upserted: 2_495, rejected: 5 });
    expect({ processed: job.processed, total: job.total, failed: job.failed }).toEqual({
      processed: 2_500,
      total: 2_500,
      failed: 5,
    });
    const chunks = await env.DB.prepare("SELECT count(*) AS n FROM catalog_import_chunks WHERE import_id = ?")
      .bind(id)
      .first<{ n: number }>();
    expect(chunks?.n).toBe(3);
    expect(await outboxRowsFor("catalog.imported", id)).toHaveLength(1);
    const count = await env.DB.prepare("SELECT count(*) AS n FROM products WHERE merchant_id = ?")
      .bind(merchant.id)
      .first<{ n: number }>();
    expect(count?.n).toBe(2_495);
  });

  it("applies a chunk once: redelivered, and again under another event id", async () => {
    const merchant = await createTestUser("merchant");
    const { id } = (await (
      await upload(ndjson([importRow("D-1"), importRow("D-2", { stock: "x" })]), merchant.auth)
    ).json()) as {
      id: string;
    };
    await finishedJob(id);
    const staged = await outboxRowsFor("catalog.import_chunk_staged", id);
    expect(staged).toHaveLength(1);
    const envelope = JSON.parse(staged[0]!.envelope) as { id: string };
    const before = await jobRow(id);

    // The same message twice (as Queues may deliver it), and the same chunk under a fresh event id.
    const again = await deliver(QUEUE, [{ body: envelope }, { body: envelope }]);
    expect(again.retryMessages).toEqual([]);
    const twin = await deliver(QUEUE, [{ body: { ...envelope, id: `evt_twin_${crypto.randomUUID()}` } }]);
    expect(twin.retryMessages).toEqual([]);

    const after = await jobRow(id);
    expect(after).toMatchObject({ processed: 2, failed: 1, version: before!.version });
    const errors = await env.DB.prepare("SELECT count(*) AS n FROM catalog_import_errors WHERE import_id = ?")
      .bind(id)
      .first<{ n: number }>();
    expect(errors?.n).toBe(1);
    expect(await outboxRowsFor("catalog.imported", id)).toHaveLength(1);
    const report = await (await call(`/v1/catalog/imports/${id}/errors`, { headers: merchant.auth })).text();
    expect(report.trimEnd().split("\n")).toHaveLength(2);
  });

  it("two events for one unapplied chunk in one batch: exactly one applies it", async () => {
    const merchant = await createTestUser("merchant");
    const { id } = (await (await upload(ndjson([importRow("T-1")]), merchant.auth)).json()) as { id: string };
    await finishedJob(id);
    const staged = JSON.parse((await outboxRowsFor("catalog.import_chunk_staged", id))[0]!.envelope);
    // Forget that the chunk was applied (and reopen the import) to replay it as if for the first time.
    await env.DB.batch([
      env.DB.prepare("DELETE FROM catalog_import_chunks WHERE import_id = ?").bind(id),
      env.DB.prepare(
        "UPDATE catalog_imports SET chunks_applied = 0, upserted = 0, rejected = 0 WHERE id = ?",
      ).bind(id),
      env.DB.prepare("UPDATE jobs SET status = 'running', processed = 0, failed = 0 WHERE id = ?").bind(id),
    ]);
    const result = await deliver(QUEUE, [
      { body: { ...staged, id: `evt_a_${crypto.randomUUID()}` } },
      { body: { ...staged, id: `evt_b_${crypto.randomUUID()}` } },
    ]);
    // The loser's batch aborts on the chunk's key and is retried; its retry finds the chunk applied.
    expect(result.retryMessages).toHaveLength(1);
    const job = await jobRow(id);
    expect(job).toMatchObject({ status: "succeeded", processed: 1, failed: 0 });
    const retried = result.retryMessages[0]!.msgId;
    expect(retried).toBeDefined();
  });
});
