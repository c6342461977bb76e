import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CHUNK_ROWS } from "../../../src/flows/catalog-import/chunks";
import { sourceKey } from "../../../src/flows/catalog-import/keys";
import { dataschemaFor } from "../../../src/platform/events/envelope";
import { finishedJob, importRow, outboxRowsFor, reportLines, upload } from "../../support/catalog-imports";
import { call } from "../../support/http";
import { jobRow } from "../../support/jobs";
import { deliver } from "../../support/queues";
import { createTestUser } from "../../support/users";

const CHUNKS_QUEUE = "crossdock-catalog-import-chunks";

type Staged = {
  id: string;
  dataschema: string;
  data: {
    chunk: number;
    rows: number;
    source: { kind: string; key: string; offset?: number; firstLine?: number };
  };
};
const stagedFacts = async (id: string) =>
  (await outboxRowsFor("catalog.import_chunk_staged", id))
    .map((r) => JSON.parse(r.envelope) as Staged)
    .sort((a, b) => a.data.chunk - b.data.chunk);

const errorLines = async (id: string, auth: { authorization: string }) =>
  reportLines(await (await call(`/v1/catalog/imports/${id}/errors`, { headers: auth })).text())
    .slice(1)
    .map((l) => Number(l.split(",")[0]));

async function titlesOf(merchantId: string, skus: string[]) {
  const { results } = await env.DB.prepare(
    `SELECT sku, title, description FROM products WHERE merchant_id = ? AND sku IN (${skus.map(() => "?").join(",")}) ORDER BY sku`,
  )
    .bind(merchantId, ...skus)
    .all<{ sku: string; title: string; description: string }>();
  return results;
}

describe("NDJSON chunks as byte ranges of the upload", () => {
  it("imports multi-byte rows across chunk boundaries with their line numbers, copying nothing", async () => {
    const merchant = await createTestUser("merchant");
    // 2,300 rows with multi-byte text, a BOM, blank lines (one of Unicode spaces) at chunk boundaries,
    // bad rows on both sides of the first boundary, and a last line without a line break.
    const lines: string[] = [];
    const bad = new Set([CHUNK_ROWS - 1, CHUNK_ROWS]);
    for (let i = 0; i < 2_300; i++) {
      if (i === 500) lines.push("");
      if (i === CHUNK_ROWS) lines.push("\u3000 ", "\r");
      const over = bad.has(i) ? { price: "free" } : {};
      lines.push(
        JSON.stringify(
          importRow(`U-${i}`, {
            title: `Café ☕ ${i}`,
            description: `${"é".repeat(i % 7)}naïve 日本 ${i}`,
            ...over,
          }),
        ),
      );
    }
    const text = `\uFEFF${lines.join("\n")}`;
    const lineOf = (i: number) => lines.indexOf(lines.find((l) => l.includes(`"U-${i}"`))!) + 1;

    const { id } = (await (await upload(text, merchant.auth)).json()) as { id: string };
    const job = await finishedJob(id, 30_000);
    expect(job).toMatchObject({ status: "succeeded", total: 2_300, processed: 2_300, failed: 2 });
    expect(job.result).toMatchObject({ rows: 2_300, upserted: 2_298, rejected: 2, ignoredColumns: [] });
    expect(await errorLines(id, merchant.auth)).toEqual([lineOf(CHUNK_ROWS - 1), lineOf(CHUNK_ROWS)]);
    expect(await titlesOf(merchant.id, ["U-0", "U-1001", "U-2001", "U-2299"])).toEqual(
      [0, 1001, 2001, 2299].map((i) => ({
        sku: `U-${i}`,
        title: `Café ☕ ${i}`,
        description: `${"é".repeat(i % 7)}naïve 日本 ${i}`,
      })),
    );

    const staged = await stagedFacts(id);
    expect(staged.map((s) => [s.dataschema, s.data.rows, s.data.source.kind, s.data.source.key])).toEqual(
      [1_000, 1_000, 300].map((rows) => [
        dataschemaFor("catalog.import_chunk_staged", 2),
        rows,
        "range",
        sourceKey(id),
      ]),
    );
    // The first range starts past the BOM; each starts at its first row's line (the blank ones before
    // it are in no range, but count in its first line number).
    expect(staged.map((s) => [s.data.source.offset, s.data.source.firstLine])).toEqual([
      [3, 1],
      [
        3 + new TextEncoder().encode(`${lines.slice(0, lineOf(CHUNK_ROWS) - 1).join("\n")}\n`).length,
        lineOf(CHUNK_ROWS),
      ],
      [expect.any(Number), lineOf(2 * CHUNK_ROWS)],
    ]);
    expect((await env.FILES.list({ prefix: `imports/${id}/chunks/` })).objects).toEqual([]);
  });

  it("skips blank lines (CRLF too) and reads a last line without a line break", async () => {
    const merchant = await createTestUser("merchant");
    const text = `\n\r\n${JSON.stringify(importRow("B-1"))}\r\n  \n{not json\n\t\n${JSON.stringify(importRow("B-2"))}`;
    const { id } = (await (await upload(text, merchant.auth)).json()) as { id: string };
    const job = await finishedJob(id);
    expect(job).toMatchObject({ status: "succeeded", total: 3, processed: 3, failed: 1 });
    expect(job.result).toMatchObject({ rows: 3, upserted: 2, rejected: 1 });
    const report = await (await call(`/v1/catalog/imports/${id}/errors`, { headers: merchant.auth })).text();
    expect(reportLines(report).slice(1)).toEqual(["5,not valid JSON"]);
    expect((await titlesOf(merchant.id, ["B-1", "B-2"])).map((r) => r.sku)).toEqual(["B-1", "B-2"]);
  });

  it("a range chunk redelivered (twice in a batch, and later) applies once", async () => {
    const merchant = await createTestUser("merchant");
    const rows = Array.from({ length: 2_100 }, (_, i) =>
      JSON.stringify(importRow(`R-${i}`, i === 1_500 ? { stock: -1, extra: "x" } : {})),
    );
    const { id } = (await (await upload(`${rows.join("\n")}\n`, merchant.auth)).json()) as { id: string };
    await finishedJob(id, 30_000);
    const before = await jobRow(id);
    const [, second] = await stagedFacts(id);
    expect(second?.data.source.kind).toBe("range");

    const again = await deliver(CHUNKS_QUEUE, [{ body: second }, { body: second }]);
    expect(again.retryMessages).toEqual([]);
    const twin = await deliver(CHUNKS_QUEUE, [
      { body: { ...second, id: `evt_twin_${crypto.randomUUID()}` } },
    ]);
    expect(twin.retryMessages).toEqual([]);

    const after = await jobRow(id);
    expect(after).toMatchObject({ processed: 2_100, failed: 1, version: before!.version });
    expect(after?.result).toMatchObject({
      rows: 2_100,
      upserted: 2_099,
      rejected: 1,
      ignoredColumns: ["extra"],
    });
    expect(await errorLines(id, merchant.auth)).toEqual([1_501]);
    expect(await outboxRowsFor("catalog.imported", id)).toHaveLength(1);
  });
});
