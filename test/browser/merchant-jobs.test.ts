import { readFile } from "node:fs/promises";
import type { Download, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  accessibilityViolations,
  type Chromium,
  cumulativeLayoutShift,
  launchChromium,
  saveScreenshot,
} from "../support/browser";
import { servedAdminToken } from "../support/served-worker";

const base = inject("baseUrl");

let browser: Chromium;
let page: Page;
let admin: string;

async function faults(method: "POST" | "DELETE", body?: unknown) {
  const res = await fetch(`${base}/ops/faults`, {
    method,
    headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.ok).toBe(true);
}

beforeAll(async () => {
  admin = await servedAdminToken(base);
  browser = await launchChromium();
  page = await browser.context.newPage();
});
afterAll(async () => {
  await faults("DELETE");
  await browser?.close();
});

async function seriousViolations(): Promise<string[]> {
  return (await accessibilityViolations(page)).filter((v) => /\((serious|critical)\)/.test(v));
}

const downloaded = async (download: Download) => readFile((await download.path())!, "utf8");

const sku = `LAMP-${crypto.randomUUID().slice(0, 6).toUpperCase()}`;
const CATALOG = [
  "sku,title,description,category,price,stock",
  `${sku}-1,Brass desk lamp,A brass lamp,lighting,49.99,12`,
  `${sku}-2,Linen shade,A shade for it,lighting,15.00,30`,
  `${sku}-3,Bulb,A warm bulb,lighting,3.50,200`,
  `${sku}-4,Broken lamp,No price,lighting,cheap,1`,
].join("\n");

describe("a merchant's imports and reports, in a browser", () => {
  it("signs up as a merchant through the page's own form, on the way to the imports", async () => {
    await page.goto(`${base}/merchant/imports`);
    await page.waitForURL(`${base}/account/login?next=%2Fmerchant%2Fimports`);
    await page.getByRole("link", { name: "Create an account" }).last().click();
    await page.getByLabel("Your name").fill("Mia Merchant");
    await page.getByLabel("Email").fill(`mia-${crypto.randomUUID()}@example.com`);
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByLabel("Sell as a merchant").check();
    await page.getByRole("button", { name: "Create the account" }).click();
    await page.waitForURL(`${base}/merchant/imports`);
  });

  it("imports a file and watches its progress reach done without a reload, then gets the rejected rows", async () => {
    await page.getByRole("heading", { level: 1, name: "Import products" }).waitFor();
    expect(await seriousViolations()).toEqual([]);
    await saveScreenshot(page, "merchant-imports");

    // Each chunk of rows waits a moment first, so the page is seen while the import runs.
    await faults("POST", {
      kind: "latency",
      consumer: "catalog-import-chunks",
      latencyMs: 4000,
      expiresInSeconds: 120,
    });
    await page.getByLabel("Catalog file (CSV or NDJSON)").setInputFiles({
      name: "catalog.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(CATALOG),
    });
    await page.getByRole("button", { name: "Upload and import" }).click();
    await page.waitForURL(/\/merchant\/imports\/job_/);
    const importUrl = page.url();
    // A mark on this document: still there at the end means no reload happened.
    await page.evaluate("window.stillTheSamePage = true");
    await page
      .locator("#job-count")
      .filter({ hasText: /of 4 rows/ })
      .waitFor();
    await saveScreenshot(page, "merchant-import-running");
    expect(await page.locator(".job-box .badge").textContent()).not.toBe("Done");
    expect(await seriousViolations()).toEqual([]);

    await page
      .getByText("3 products imported (added or updated); 1 row rejected.")
      .waitFor({ timeout: 20_000 });
    expect(page.url()).toBe(importUrl);
    expect(await page.evaluate("window.stillTheSamePage")).toBe(true);
    // Nothing on the page moved as the live status arrived (the box keeps its room).
    expect(await cumulativeLayoutShift(page)).toBeLessThan(0.01);
    const bar = page.locator("#job-bar");
    expect([await bar.getAttribute("value"), await bar.getAttribute("max")]).toEqual(["4", "4"]);
    expect(await page.locator("#job-count").textContent()).toBe("4 of 4 rows · 1 rejected");
    expect(await page.locator("[data-job-milestone]").textContent()).toBe(
      "Import done: 4 of 4 rows · 1 rejected.",
    );
    expect(await seriousViolations()).toEqual([]);
    await saveScreenshot(page, "merchant-import-done");

    const [report] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download the rejected rows (CSV)" }).click(),
    ]);
    expect(report.suggestedFilename()).toMatch(/^job_\w+-errors\.csv$/);
    const lines = (await downloaded(report)).trimEnd().split("\n");
    expect(lines).toEqual(["line,reason", expect.stringMatching(/^5,"price: /)]);
    await faults("DELETE");
  });

  it("requests a report, sees it built live, and downloads it", async () => {
    await page.getByRole("link", { name: "Reports" }).click();
    await page.getByRole("heading", { level: 1, name: "Reports" }).waitFor();
    expect(await seriousViolations()).toEqual([]);
    await saveScreenshot(page, "merchant-reports");

    await page.getByLabel("Products").check();
    await page.getByRole("button", { name: "Request the report" }).click();
    await page.waitForURL(/\/merchant\/reports\/job_/);
    await page.getByRole("heading", { level: 1, name: "Products report" }).waitFor();
    const download = page.getByRole("link", { name: "Download the CSV" });
    await download.waitFor({ timeout: 20_000 });
    expect(await page.locator(".job-box .badge").textContent()).toBe("Done");
    expect(await seriousViolations()).toEqual([]);
    await saveScreenshot(page, "merchant-report-ready");

    const [file] = await Promise.all([page.waitForEvent("download"), download.click()]);
    expect(file.suggestedFilename()).toMatch(/^products-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = (await downloaded(file)).trimEnd().split("\r\n");
    expect(rows[0]).toBe("product_id,sku,title,category,price,currency,stock,units_sold,revenue");
    expect(
      rows
        .slice(1)
        .map((r) => r.split(",")[1])
        .sort(),
    ).toEqual([`${sku}-1`, `${sku}-2`, `${sku}-3`]);
  });
});
