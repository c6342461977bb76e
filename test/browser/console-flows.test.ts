import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { accessibilityViolations, type Chromium, launchChromium, saveScreenshot } from "../support/browser";
import { SERVED_ADMIN, servedAdminToken } from "../support/served-worker";

const base = inject("baseUrl");

let browser: Chromium;
let page: Page;
let admin: string;
const faults: string[] = [];

async function asAdmin(path: string, init: { method: string; body?: unknown }): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: init.method,
    headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

/** The text of the page's element whose data-field is `key`. */
const figure = (key: string) => page.locator(`[data-field="${key}"]`).first().textContent();

beforeAll(async () => {
  admin = await servedAdminToken(base);
  browser = await launchChromium();
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
});
afterAll(async () => {
  // Only this file's faults: other files may have theirs.
  for (const id of faults) await asAdmin(`/ops/faults/${id}`, { method: "DELETE" });
  await browser?.close();
});

describe("the console's flows at a glance, in a browser", () => {
  it("signs in through the form and lands on the overview, with no serious accessibility violation", async () => {
    await page.goto(`${base}/console`);
    expect(new URL(page.url()).pathname).toBe("/console/login");
    await page.getByLabel("Email").fill(SERVED_ADMIN.email);
    await page.getByLabel("Password").fill(SERVED_ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Flows at a glance" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/console");

    // Every consumer's chart is drawn, and the live stream has updated the page at least once.
    const rows = await page.locator("table").first().locator("tbody tr").count();
    expect(rows).toBeGreaterThan(5);
    await page.waitForFunction(`document.documentElement.dataset.flowCharts === "${rows}"`);
    await page.waitForFunction("Number(document.documentElement.dataset.flowUpdates) >= 1");
    expect(await page.locator(".flow-chart canvas").count()).toBe(rows);

    const serious = (await accessibilityViolations(page)).filter((v) => /\((serious|critical)\)/.test(v));
    expect(serious).toEqual([]);
    await saveScreenshot(page, "console-flows");
  });

  it("shows a backlog building in front of a paused consumer without a reload", async () => {
    // The page's own marker: gone if anything reloads the document.
    await page.evaluate("window.__sameDocument = true");
    const before = Number(await figure("analytics.backlog"));

    // A real fact to copy (the backlog copies the newest published one), then the consumer paused so
    // the copies wait past the delivery ledger's grace period, then the backlog itself.
    const sent = await asAdmin("/v1/events", {
      method: "POST",
      body: { events: [{ type: "search.performed", query: "mug", sessionId: "console-flows" }] },
    });
    expect(sent.status).toBe(202);
    const pause = await asAdmin("/ops/faults", {
      method: "POST",
      body: { kind: "pause", consumer: "analytics", expiresInSeconds: 300 },
    });
    expect(pause.status).toBe(201);
    faults.push(((await pause.json()) as { id: string }).id);
    const tag = `console-flows-${Date.now()}`;
    let backlog = await asAdmin("/ops/faults/backlog", {
      method: "POST",
      body: { consumer: "analytics", count: 20, tag },
    });
    // The template fact is relayed just after its 202: until then there is nothing to copy (409).
    for (let i = 0; i < 20 && backlog.status === 409; i++) {
      await new Promise((r) => setTimeout(r, 250));
      backlog = await asAdmin("/ops/faults/backlog", {
        method: "POST",
        body: { consumer: "analytics", count: 20, tag },
      });
    }
    expect(backlog.status).toBe(202);

    // The ledger records the copies once they are past DELIVERY_GRACE_SECONDS (15 s) unacknowledged.
    await page.waitForFunction(
      `Number(document.querySelector('[data-field="analytics.backlog"]').textContent) >= ${before + 20}`,
      undefined,
      { timeout: 75_000 },
    );
    expect(await page.evaluate("window.__sameDocument")).toBe(true);
    expect(Number(await figure("total.backlog"))).toBeGreaterThanOrEqual(before + 20);
    expect(await figure("analytics.oldest")).toMatch(/\d+ s$/);
    await saveScreenshot(page, "console-flows-backlog");
  }, 120_000);
});
