import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createTestApiKey } from "../../support/api-keys";
import {
  finishedJob,
  importRow,
  ndjson,
  outboxRowsFor,
  reportLines,
  upload,
} from "../../support/catalog-imports";
import { call } from "../../support/http";
import { createTestUser } from "../../support/users";

interface JobBody {
  id: string;
  type: string;
  status: string;
  progress: { processed: number; total: number | null; failed: number };
  result: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
}

const searchSkus = async (q: string) => {
  const res = await call(`/v1/products?q=${encodeURIComponent(q)}&limit=50`);
  const body = (await res.json()) as { items: { sku: string; title: string; price: { amount: number } }[] };
  return body.items;
};

describe("POST /v1/catalog/imports: NDJSON end to end", () => {
  it("accepts the file as a job, upserts every good row (searchable) and reports the bad ones", async () => {
    const merchant = await createTestUser("merchant");
    const word = `zephyr${crypto.randomUUID().slice(0, 8)}`;
    const rows = [
      importRow("A-1", { title: `${word} brass lamp` }),
      importRow("A-2", { title: `${word} desk lamp`, price: "5" }),
      importRow("A-3", { price: "19.999" }), // line 3: too many decimals
      "not json", // line 4
      importRow("A-5", { category: "spaceships", stock: -1 }), // line 5: two reasons
      importRow("A-6", { title: `${word} floor lamp`, price: 12.5, currency: "USD" }),
      importRow("A-7", { title: `${word} wall lamp`, currency: "BTC" }), // line 7: no quote prices BTC
    ];
    const body = `${rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n")}\n`;

    const res = await upload(body, merchant.auth);
    expect(res.status).toBe(202);
    const job = (await res.json()) as JobBody;
    expect(job.id).toMatch(/^job_/);
    expect(res.headers.get("location")).toBe(`/v1/jobs/${job.id}`);
    expect(job).toMatchObject({ type: "catalog_import", status: "queued", result: null, error: null });

    const done = await finishedJob(job.id);
    expect(done.status).toBe("succeeded");
    const view = (await (await call(`/v1/jobs/${job.id}`, { headers: merchant.auth })).json()) as JobBody;
    expect(view.progress).toEqual({ processed: 7, total: 7, failed: 4 });
    expect(view.result).toEqual({
      rows: 7,
      upserted: 3,
      rejected: 4,
      errorsUrl: `/v1/catalog/imports/${job.id}/errors`,
      ignoredColumns: [],
    });

    const found = await searchSkus(word);
    expect(found.map((p) => p.sku).sort()).toEqual(["A-1", "A-2", "A-6"]);
    expect(found.find((p) => p.sku === "A-6")?.price.amount).toBe(1250);

    const report = await call(`/v1/catalog/imports/${job.id}/errors`, { headers: merchant.auth });
    expect(report.status).toBe(200);
    expect(report.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(report.headers.get("content-disposition")).toBe(`attachment; filename="${job.id}-errors.csv"`);
    const lines = reportLines(await report.text());
    expect(lines[0]).toBe("line,reason");
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(["3", "4", "5", "7"]);
    expect(lines[1]).toContain("price: must be a non-negative decimal");
    expect(lines[2]).toBe("4,not valid JSON");
    expect(lines[3]).toMatch(/category: must be one of/);
    expect(lines[3]).toMatch(/stock:/);
    expect(lines[4]).toBe("7,currency: must be a currency quotes support: USD");
  });

  it("updates products whose SKU exists and keeps search right (old words gone, new ones found)", async () => {
    const merchant = await createTestUser("merchant");
    const before = `oldword${crypto.randomUUID().slice(0, 8)}`;
    const after = `newword${crypto.randomUUID().slice(0, 8)}`;
    const first = await upload(ndjson([importRow("U-1", { title: `${before} chair` })]), merchant.auth);
    await finishedJob(((await first.json()) as JobBody).id);
    const [created] = await searchSkus(before);
    expect(created?.sku).toBe("U-1");

    const second = await upload(
      ndjson([importRow("U-1", { title: `${after} chair`, price: "7.10", stock: 9 })]),
      merchant.auth,
    );
    const job = await finishedJob(((await second.json()) as JobBody).id);
    expect(job.result).toMatchObject({ upserted: 1, rejected: 0 });
    expect(await searchSkus(before)).toEqual([]);
    const [updated] = await searchSkus(after);
    expect(updated).toMatchObject({ sku: "U-1", price: { amount: 710 } });
    const rows = await env.DB.prepare("SELECT id, stock FROM products WHERE merchant_id = ? AND sku = 'U-1'")
      .bind(merchant.id)
      .all<{ id: string; stock: number }>();
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0]?.stock).toBe(9);
  });

  it("ignores fields an import does not use, and names them in the result", async () => {
    const merchant = await createTestUser("merchant");
    const word = `nimbus${crypto.randomUUID().slice(0, 8)}`;
    const extra = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`x${100 + i}`, i]));
    const rows = [
      importRow("N-1", { title: `${word} lamp`, vendor: "Acme", tags: ["a", "b"] }),
      importRow("N-2", { title: `${word} mug`, handle: "mug", variant: { size: "L" } }),
      importRow("N-3", { price: "free", vendor: "Acme" }), // line 3: rejected for its price alone
      importRow("N-4", { title: `${word} vase`, ...extra(25) }),
    ];
    const { id } = (await (await upload(ndjson(rows), merchant.auth)).json()) as JobBody;
    const job = await finishedJob(id);
    expect(job.status).toBe("succeeded");
    expect(job.result).toMatchObject({ rows: 4, upserted: 3, rejected: 1 });
    // Sorted, and at most 20: the 25 x1xx fields come after handle, tags, variant, vendor.
    const ignored = (job.result as { ignoredColumns: string[] }).ignoredColumns;
    expect(ignored).toHaveLength(20);
    expect(ignored.slice(0, 4)).toEqual(["handle", "tags", "variant", "vendor"]);
    expect(ignored.slice(4)).toEqual(Array.from({ length: 16 }, (_, i) => `x${100 + i}`));
    expect((await searchSkus(word)).map((p) => p.sku).sort()).toEqual(["N-1", "N-2", "N-4"]);
    const report = reportLines(
      await (await call(`/v1/catalog/imports/${id}/errors`, { headers: merchant.auth })).text(),
    );
    expect(report.slice(1)).toHaveLength(1);
    expect(report[1]).toMatch(/^3,"price: must be a non-negative decimal/);
    expect(report[1]).not.toContain("vendor");
  });

  it("publishes catalog.imported once, with the counts", async () => {
    const merchant = await createTestUser("merchant");
    const res = await upload(ndjson([importRow("P-1"), importRow("P-2", { price: "-1" })]), merchant.auth);
    const { id } = (await res.json()) as JobBody;
    await finishedJob(id);
    const facts = await outboxRowsFor("catalog.imported", id);
    expect(facts).toHaveLength(1);
    expect(JSON.parse(facts[0]!.envelope).data).toMatchObject({
      importId: id,
      merchantId: merchant.id,
      rows: 2,
      upserted: 1,
      rejected: 1,
    });
  });
});

describe("POST /v1/catalog/imports: CSV", () => {
  it("imports quoted fields (commas, quotes, line breaks) and numbers lines by a record's first line", async () => {
    const merchant = await createTestUser("merchant");
    const word = `quasar${crypto.randomUUID().slice(0, 8)}`;
    const csv = [
      "sku,title,description,category,price,stock,currency",
      `C-1,"${word} lamp, brass","A ""classic""\nover two lines",lighting,49.99,3,`,
      "C-2,Broken,No price,lighting,,3,USD", // line 4
      `C-3,${word} mug,Ceramic,kitchen,8.50,10,USD`,
      "C-4,Short row,lighting", // line 6
    ].join("\r\n");
    const res = await upload(csv, merchant.auth, "text/csv; charset=utf-8");
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as JobBody;
    const job = await finishedJob(id);
    expect(job.status).toBe("succeeded");
    expect(job.result).toMatchObject({ rows: 4, upserted: 2, rejected: 2 });
    const found = await searchSkus(word);
    expect(found.map((p) => p.sku).sort()).toEqual(["C-1", "C-3"]);
    expect(found.find((p) => p.sku === "C-1")?.title).toBe(`${word} lamp, brass`);
    const report = reportLines(
      await (await call(`/v1/catalog/imports/${id}/errors`, { headers: merchant.auth })).text(),
    );
    expect(report.slice(1).map((l) => l.split(",")[0])).toEqual(["4", "6"]);
    expect(report[2]).toContain("has 3 field(s); the header has 7");
  });

  it("ignores columns an import does not use (another platform's export) and names them in the result", async () => {
    const merchant = await createTestUser("merchant");
    const word = `galaxy${crypto.randomUUID().slice(0, 8)}`;
    const csv = [
      "Handle,SKU,Title,Description,Vendor,Category,Price,Stock,Tags",
      `lamp,E-1,${word} lamp,"Brass, tall",Acme,lighting,49.99,3,"home,brass"`,
      `mug,E-2,${word} mug,Ceramic,Acme,kitchen,8.50,10,`,
      "vase,E-3,Vase,Glass,Acme,lighting,0,1,", // line 4: price
    ].join("\n");
    const { id } = (await (await upload(csv, merchant.auth, "text/csv")).json()) as JobBody;
    const job = await finishedJob(id);
    expect(job.status).toBe("succeeded");
    expect(job.result).toEqual({
      rows: 3,
      upserted: 2,
      rejected: 1,
      errorsUrl: `/v1/catalog/imports/${id}/errors`,
      ignoredColumns: ["Handle", "Tags", "Vendor"],
    });
    expect((await searchSkus(word)).map((p) => p.sku).sort()).toEqual(["E-1", "E-2"]);
    const report = reportLines(
      await (await call(`/v1/catalog/imports/${id}/errors`, { headers: merchant.auth })).text(),
    );
    expect(report.slice(1)).toEqual(["4,price: must be more than 0"]);
  });

  it("names a header's ignored columns even when the file has no rows", async () => {
    const merchant = await createTestUser("merchant");
    const { id } = (await (
      await upload("sku,title,description,category,price,stock,notes\n", merchant.auth, "text/csv")
    ).json()) as JobBody;
    const job = await finishedJob(id);
    expect(job.status).toBe("succeeded");
    expect(job.result).toMatchObject({ rows: 0, upserted: 0, ignoredColumns: ["notes"] });
  });

  it("fails the job, with a code, when a column is repeated", async () => {
    const merchant = await createTestUser("merchant");
    const res = await upload(
      "sku,title,description,category,price,stock,Price\nX-1,Thing,A thing,lighting,1.00,2,3.00\n",
      merchant.auth,
      "text/csv",
    );
    const job = await finishedJob(((await res.json()) as JobBody).id);
    expect(job.status).toBe("failed");
    expect(job.error?.code).toBe("invalid-csv-header");
    expect(job.error?.message).toContain("repeated column(s): price");
  });

  it("fails the job, with a code, when the header lacks required columns", async () => {
    const merchant = await createTestUser("merchant");
    const res = await upload("sku,title,price\nX-1,Thing,1.00\n", merchant.auth, "text/csv");
    const { id } = (await res.json()) as JobBody;
    const job = await finishedJob(id);
    expect(job.status).toBe("failed");
    expect(job.error?.code).toBe("invalid-csv-header");
    expect(job.error?.message).toContain("missing column(s): description, category, stock");
  });
});

describe("POST /v1/catalog/imports: refused uploads", () => {
  it("answers 415 for another content type", async () => {
    const merchant = await createTestUser("merchant");
    const res = await upload(ndjson([importRow("X")]), merchant.auth, "application/json");
    expect(res.status).toBe(415);
    expect(((await res.json()) as { type: string }).type).toBe("/problems/unsupported-media-type");
  });

  it("answers 413 before reading when Content-Length is over the limit", async () => {
    const merchant = await createTestUser("merchant");
    const res = await call("/v1/catalog/imports", {
      method: "POST",
      headers: {
        ...merchant.auth,
        "content-type": "text/csv",
        "content-length": String(50 * 1024 * 1024 + 1),
      },
      body: "sku\n",
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { limitBytes: number }).limitBytes).toBe(50 * 1024 * 1024);
  });

  it("answers 422 for an empty file", async () => {
    const merchant = await createTestUser("merchant");
    const res = await upload("", merchant.auth);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { type: string }).type).toBe("/problems/empty-import");
  });

  it("answers 401 without credentials, 403 for a key without catalog:write and for a buyer", async () => {
    const merchant = await createTestUser("merchant");
    const buyer = await createTestUser("buyer");
    const wrongKey = await createTestApiKey(merchant.id, ["reports:read"]);
    const body = ndjson([importRow("Z-1")]);
    expect((await call("/v1/catalog/imports", { method: "POST", body })).status).toBe(401);
    expect((await upload(body, wrongKey.auth)).status).toBe(403);
    expect((await upload(body, buyer.auth)).status).toBe(403);
  });

  it("accepts an API key holding catalog:write", async () => {
    const merchant = await createTestUser("merchant");
    const key = await createTestApiKey(merchant.id, ["catalog:write"]);
    const res = await upload(ndjson([importRow("K-1")]), key.auth);
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as JobBody;
    expect((await finishedJob(id)).status).toBe("succeeded");
    expect((await call(`/v1/catalog/imports/${id}/errors`, { headers: key.auth })).status).toBe(200);
  });
});

describe("another merchant's import", () => {
  it("is a 404 for its job and its error report", async () => {
    const owner = await createTestUser("merchant");
    const other = await createTestUser("merchant");
    const { id } = (await (await upload(ndjson([importRow("O-1")]), owner.auth)).json()) as JobBody;
    expect((await call(`/v1/jobs/${id}`, { headers: other.auth })).status).toBe(404);
    expect((await call(`/v1/catalog/imports/${id}/errors`, { headers: other.auth })).status).toBe(404);
    expect((await call("/v1/catalog/imports/job_nope/errors", { headers: owner.auth })).status).toBe(404);
    await finishedJob(id);
  });

  it("with the same file is that merchant's own import", async () => {
    const a = await createTestUser("merchant");
    const b = await createTestUser("merchant");
    const file = ndjson([importRow(`S-${crypto.randomUUID()}`)]);
    const first = (await (await upload(file, a.auth)).json()) as JobBody;
    const second = (await (await upload(file, b.auth)).json()) as JobBody;
    expect(second.id).not.toBe(first.id);
    await Promise.all([finishedJob(first.id), finishedJob(second.id)]);
  });
});

describe("re-uploading the same file", () => {
  it("answers with the same job and processes nothing twice", async () => {
    const merchant = await createTestUser("merchant");
    const file = ndjson([importRow("R-1"), importRow("R-2", { price: "x" })]);
    const first = (await (await upload(file, merchant.auth)).json()) as JobBody;
    await finishedJob(first.id);
    const again = await upload(file, merchant.auth);
    expect(again.status).toBe(202);
    expect(again.headers.get("location")).toBe(`/v1/jobs/${first.id}`);
    const second = (await again.json()) as JobBody;
    expect(second.id).toBe(first.id);
    expect(second.status).toBe("succeeded");
    const imports = await env.DB.prepare("SELECT count(*) AS n FROM catalog_imports WHERE merchant_id = ?")
      .bind(merchant.id)
      .first<{ n: number }>();
    expect(imports?.n).toBe(1);
    expect(await outboxRowsFor("catalog.import_uploaded", first.id)).toHaveLength(1);
    const stored = await env.FILES.list({ prefix: "imports/" });
    const sources = stored.objects.filter((o) => o.key.endsWith("/source"));
    expect(sources.some((o) => o.key.includes(first.id))).toBe(true);
    // The second upload's object was deleted: no source object belongs to an import that does not exist.
    for (const o of sources) {
      const importId = o.key.split("/")[1];
      const row = await env.DB.prepare("SELECT 1 AS x FROM catalog_imports WHERE id = ?")
        .bind(importId)
        .first();
      expect(row, o.key).not.toBeNull();
    }
  });

  it("racing: two concurrent uploads of one file make one import", async () => {
    const merchant = await createTestUser("merchant");
    const file = ndjson([importRow(`RACE-${crypto.randomUUID()}`)]);
    const [a, b] = await Promise.all([upload(file, merchant.auth), upload(file, merchant.auth)]);
    expect([a.status, b.status]).toEqual([202, 202]);
    const [ja, jb] = (await Promise.all([a.json(), b.json()])) as JobBody[];
    expect(ja!.id).toBe(jb!.id);
    await finishedJob(ja!.id);
  });
});
