import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../../src/platform/db/client";
import { failJob } from "../../../src/platform/jobs/job-statements";
import { insertProducts } from "../../support/products";
import { finishedJob, insertReport } from "../../support/reports";
import { webVisitor } from "../../support/web";

const db = () => getDb(env.DB);
const MARCH = { from: "2026-03-01", to: "2026-03-31" };

/** The form's hidden idempotency key, as the page rendered it. */
const formKey = (html: string) => /name="key" value="([^"]+)"/.exec(html)?.[1] ?? "";

describe("the merchant's report pages", () => {
  it("offers the report kinds and a range, with a fresh key per form, and says the API cannot list reports", async () => {
    const merchant = await webVisitor("merchant");
    const res = await merchant.get("/merchant/reports");
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const type of ["sales", "products", "settlements"])
      expect(html).toContain(`name="type" value="${type}"`);
    expect(html).toMatch(/<input id="from" name="from" type="date" required="" value="\d{4}-\d{2}-\d{2}"/);
    expect(html).toMatch(/<input id="to" name="to" type="date" required="" value="\d{4}-\d{2}-\d{2}"/);
    expect(html).toContain("The API cannot list reports yet");
    const again = await (await merchant.get("/merchant/reports")).text();
    expect(formKey(html)).not.toBe("");
    expect(formKey(again)).not.toBe(formKey(html));
  });

  it("requests a report, follows it to ready and downloads the API's CSV", async () => {
    const merchant = await webVisitor("merchant");
    await insertProducts(merchant.user!.id, [{ title: "Desk lamp", sku: "LAMP-WEB-1" }]);
    const form = await (await merchant.get("/merchant/reports")).text();
    const res = await merchant.post("/merchant/reports", { key: formKey(form), type: "products", ...MARCH });
    expect(res.status).toBe(303);
    const location = res.headers.get("location") ?? "";
    const id = /^\/merchant\/reports\/(job_[\w-]+)$/.exec(location)?.[1] ?? "";
    expect(id).not.toBe("");

    // The same form sent twice (an impatient second click) is the same report, not a second one.
    const twice = await merchant.post("/merchant/reports", {
      key: formKey(form),
      type: "products",
      ...MARCH,
    });
    expect(twice.headers.get("location")).toBe(location);

    expect((await finishedJob(id, merchant.user!.auth)).status).toBe("succeeded");
    const page = await merchant.get(location);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("<h1>Products report</h1>");
    expect(html).toContain("2026-03-01 to 2026-03-31");
    expect(html).toContain("1 of 1 rows");
    expect(html).toMatch(/Ready: 1 row, \d+ bytes\./);
    expect(html).toContain(`href="/merchant/reports/${id}/download"`);
    expect(html).not.toContain("data-job-live");

    const file = await merchant.get(`/merchant/reports/${id}/download`);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(file.headers.get("content-disposition")).toBe(
      'attachment; filename="products-2026-03-01-2026-03-31.csv"',
    );
    const lines = (await file.text()).split("\r\n");
    expect(lines[0]).toBe("product_id,sku,title,category,price,currency,stock,units_sold,revenue");
    expect(lines[1]).toMatch(/^prd_\w+,LAMP-WEB-1,Desk lamp,/);
  });

  it("shows a report being built with its live stream, and refuses its download with the API's words", async () => {
    const merchant = await webVisitor("merchant");
    const report = await insertReport(merchant.user!.id, { status: "building", type: "sales" });
    const html = await (await merchant.get(`/merchant/reports/${report.id}`)).text();
    expect(html).toContain("<h1>Sales report</h1>");
    expect(html).toContain("Running");
    expect(html).toContain(`data-job-live="/merchant/jobs/${report.id}/live"`);
    expect(html).toContain(`<a href="/merchant/reports/${report.id}">Refresh</a>`);
    expect(html).not.toContain("/download");

    const early = await merchant.get(`/merchant/reports/${report.id}/download`);
    expect(early.status).toBe(409);
    expect(early.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await early.text()).toContain(`Report &#39;${report.id}&#39; is building`);
  });

  it("says why a report failed and offers to request it again", async () => {
    const merchant = await webVisitor("merchant");
    const report = await insertReport(merchant.user!.id, { status: "building" });
    const message = "This report type is not available yet.";
    await failJob(db(), report.id, { code: "report-source-unavailable", message }, Date.now()).run();
    const html = await (await merchant.get(`/merchant/reports/${report.id}`)).text();
    expect(html).toContain(`The report could not be built: ${message}`);
    expect(html).toContain("Request it again");
  });

  it("re-renders the form with the API's words and what was entered for a bad range", async () => {
    const merchant = await webVisitor("merchant");
    const res = await merchant.post("/merchant/reports", {
      key: crypto.randomUUID(),
      type: "sales",
      from: "2026-03-31",
      to: "2026-03-01",
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/role="alert"[^>]*>to: must not be before &#39;from&#39;</);
    expect(html).toContain('value="2026-03-31"');
    expect(html).toMatch(/value="sales" checked=""/);
  });

  it("refuses a buyer (403) and someone else's report (404)", async () => {
    const buyer = await webVisitor("buyer");
    expect((await buyer.get("/merchant/reports")).status).toBe(403);
    expect((await buyer.post("/merchant/reports", { type: "sales", ...MARCH })).status).toBe(403);

    const owner = await webVisitor("merchant");
    const report = await insertReport(owner.user!.id, { status: "ready" });
    const other = await webVisitor("merchant");
    for (const path of [`/merchant/reports/${report.id}`, `/merchant/reports/${report.id}/download`]) {
      const res = await other.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
  });
});
