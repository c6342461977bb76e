import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../../src/platform/db/client";
import { addJobProgress, failJob, startJob } from "../../../src/platform/jobs/job-statements";
import { finishedJob, importRow, ndjson } from "../../support/catalog-imports";
import { call } from "../../support/http";
import { createTestJob } from "../../support/jobs";
import { WEB_ORIGIN, type WebVisitor, webVisitor } from "../../support/web";

const db = () => getDb(env.DB);

/** Posts the import form as a browser does: multipart, from the site's own origin, with the cookies. */
function upload(visitor: WebVisitor, file: File | string, origin = WEB_ORIGIN) {
  const form = new FormData();
  form.set("file", file);
  const cookie = [...visitor.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return call("/merchant/imports", {
    method: "POST",
    headers: { cookie, origin },
    body: form,
    redirect: "manual",
  });
}

const sku = () => `SKU-${crypto.randomUUID().slice(0, 8)}`;

/** A file of `good` valid rows and one with a price that is not one. */
const fileWithOneBadRow = (good: number, type: "ndjson" | "csv" = "ndjson") => {
  const rows = [
    ...Array.from({ length: good }, () => importRow(sku())),
    importRow(sku(), { price: "cheap" }),
  ];
  if (type === "ndjson") return new File([ndjson(rows)], "catalog.ndjson");
  const lines = rows.map((r) => [r.sku, r.title, r.description, r.category, r.price, r.stock].join(","));
  return new File([`sku,title,description,category,price,stock\n${lines.join("\n")}\n`], "catalog.csv", {
    type: "text/csv",
  });
};

/** The first event a stream sends, read without waiting for the stream to end. */
async function firstEvent(res: Response): Promise<string> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!/event: job\n[\s\S]*?\n\n/.test(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text;
}

describe("the merchant's catalog import pages", () => {
  it("shows the upload form with the columns a file needs, and says the API cannot list imports", async () => {
    const merchant = await webVisitor("merchant");
    const res = await merchant.get("/merchant/imports");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).toMatch(/<input id="file" name="file" type="file" required="" accept="[^"]*\.csv/);
    for (const column of ["sku", "title", "description", "category", "price", "stock", "currency"])
      expect(html).toContain(`<code>${column}</code>`);
    expect(html).toContain("The API cannot list imports yet");
    expect(html).toContain('href="/merchant/imports"'); // the nav
  });

  it("forwards an uploaded file to the API, follows its job to the end and serves its rejected rows", async () => {
    const merchant = await webVisitor("merchant");
    const res = await upload(merchant, fileWithOneBadRow(3));
    expect(res.status).toBe(303);
    const location = res.headers.get("location") ?? "";
    const id = /^\/merchant\/imports\/(job_[\w-]+)$/.exec(location)?.[1] ?? "";
    expect(id).not.toBe("");

    const job = await finishedJob(id);
    expect(job).toMatchObject({ status: "succeeded", processed: 4, failed: 1 });
    const done = await merchant.get(location);
    expect(done.status).toBe(200);
    const html = await done.text();
    expect(html).toContain('<progress id="job-bar" max="4" value="4"');
    expect(html).toContain("4 of 4 rows · 1 rejected");
    expect(html).toContain("3 products imported (added or updated); 1 row rejected.");
    expect(html).toContain(`href="/merchant/imports/${id}/errors"`);
    expect(html).not.toContain("data-job-live"); // nothing left to follow
    expect(html).not.toContain(">Refresh<");

    const errors = await merchant.get(`/merchant/imports/${id}/errors`);
    expect(errors.status).toBe(200);
    expect(errors.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(errors.headers.get("content-disposition")).toBe(`attachment; filename="${id}-errors.csv"`);
    expect((await errors.text()).trimEnd().split("\n")).toEqual([
      "line,reason",
      expect.stringMatching(/^4,"price: /),
    ]);
  });

  it("takes a CSV file by its name, whatever type the browser gave it", async () => {
    const merchant = await webVisitor("merchant");
    const res = await upload(merchant, fileWithOneBadRow(1, "csv"));
    expect(res.status).toBe(303);
    const id = res.headers.get("location")!.split("/").at(-1)!;
    expect(await finishedJob(id)).toMatchObject({ status: "succeeded", processed: 2, failed: 1 });
  });

  it("shows a job that has not started, and one under way, with a live stream and a Refresh link", async () => {
    const merchant = await webVisitor("merchant");
    const id = await createTestJob(merchant.user!.id, "catalog_import");
    const queued = await (await merchant.get(`/merchant/imports/${id}`)).text();
    expect(queued).toContain("Waiting to start");
    expect(queued).toContain('<progress id="job-bar" aria-describedby="job-count">');
    expect(queued).toContain(`data-job-live="/merchant/jobs/${id}/live"`);
    expect(queued).toContain(`<a href="/merchant/imports/${id}">Refresh</a>`);
    expect(queued).toContain('src="/web/job.js"');

    await db().batch([
      startJob(db(), id, Date.now(), 5000),
      addJobProgress(db(), id, { processed: 1234, failed: 2 }, Date.now()),
    ]);
    const running = await (await merchant.get(`/merchant/imports/${id}`)).text();
    expect(running).toContain("Running");
    expect(running).toContain('<progress id="job-bar" max="5000" value="1234"');
    expect(running).toContain("1,234 of 5,000 rows · 2 rejected");
  });

  it("says in plain words why an import failed", async () => {
    const merchant = await webVisitor("merchant");
    const id = await createTestJob(merchant.user!.id, "catalog_import");
    const message = "Line 1 is not JSON: the file cannot be read as NDJSON.";
    await failJob(db(), id, { code: "unreadable-file", message }, Date.now()).run();
    const html = await (await merchant.get(`/merchant/imports/${id}`)).text();
    expect(html).toContain("Failed");
    expect(html).toContain(`The import failed: ${message}`);
  });

  it("proxies the job's event stream for the page's EventSource, with the merchant's session", async () => {
    const merchant = await webVisitor("merchant");
    const id = await createTestJob(merchant.user!.id, "catalog_import");
    const res = await merchant.get(`/merchant/jobs/${id}/live`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const text = await firstEvent(res);
    expect(text).toContain("retry: 3000");
    const data = /^data: (.*)$/m.exec(text)?.[1] ?? "{}";
    expect(JSON.parse(data)).toMatchObject({ id, status: "queued", progress: { processed: 0, total: null } });
  });

  it("re-renders the form with the API's words for a bad file, never a 500", async () => {
    const merchant = await webVisitor("merchant");
    const empty = await upload(merchant, new File([""], "empty.csv", { type: "text/csv" }));
    expect(empty.status).toBe(422);
    const emptyHtml = await empty.text();
    expect(emptyHtml).toMatch(/role="alert"[^>]*>The uploaded file is empty\./);
    expect(emptyHtml).toContain("<h1>Import products</h1>");

    const text = await upload(merchant, new File(["hello"], "notes.txt", { type: "text/plain" }));
    expect(text.status).toBe(415);
    expect(await text.text()).toContain(
      "That file is not CSV or NDJSON (name it .csv or .ndjson). Send the body as application/x-ndjson or text/csv.",
    );

    // Past the form's limit: 413, with how to send a larger file.
    const huge = await upload(merchant, new File([new Uint8Array(10 * 1024 * 1024 + 32 * 1024)], "big.csv"));
    expect(huge.status).toBe(413);
    expect(await huge.text()).toMatch(
      /role="alert"[^>]*>That file is larger than 10 MiB: send it through the API/,
    );

    const none = await upload(merchant, "not a file");
    expect(none.status).toBe(400);
    expect(await none.text()).toContain("Choose a CSV or NDJSON file to upload.");
  });

  it("refuses the form from another site (csrf), a buyer (403) and someone else's import (404)", async () => {
    const merchant = await webVisitor("merchant");
    const forged = await upload(merchant, fileWithOneBadRow(1), "https://evil.example");
    expect(forged.status).toBe(403);

    const buyer = await webVisitor("buyer");
    expect((await buyer.get("/merchant/imports")).status).toBe(403);
    expect((await upload(buyer, fileWithOneBadRow(1))).status).toBe(403);

    const owner = await webVisitor("merchant");
    const id = await createTestJob(owner.user!.id, "catalog_import");
    for (const path of [
      `/merchant/imports/${id}`,
      `/merchant/imports/${id}/errors`,
      `/merchant/jobs/${id}/live`,
    ]) {
      const res = await merchant.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    }
    // A report's job is not an import, even to its owner.
    const report = await createTestJob(merchant.user!.id, "report");
    expect((await merchant.get(`/merchant/imports/${report}`)).status).toBe(404);
  });

  it("sends someone signed out to sign in first", async () => {
    const res = await (await webVisitor()).get("/merchant/imports");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/account/login?next=%2Fmerchant%2Fimports");
  });
});
