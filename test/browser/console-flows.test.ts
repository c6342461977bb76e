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

/**
 * Waits until every fact is relayed and the analytics queue holds none of them: all were handed to its
 * consumer (GET /ops/costs' backlog rows, the outbox's and the queue's own).
 */
async function handedToConsumer() {
  for (let i = 0; i < 60; i++) {
    const res = await asAdmin("/ops/costs", { method: "GET" });
    const { backlog } = (await res.json()) as { backlog: { queue: string; messages: number }[] };
    const waiting = (queue: string) => backlog.find((b) => b.queue === queue)?.messages ?? 0;
    if (waiting("outbox") === 0 && waiting("crossdock-analytics") === 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the analytics queue never handed its messages to the consumer");
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

    // A real fact to copy (the backlog copies the newest published one), then the consumer paused, then
    // the backlog itself: a first batch of copies that the paused consumer takes and holds, and a second
    // that waits in the queue behind it, which the page reads from the queue's own figures.
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
    await handedToConsumer();
    backlog = await asAdmin("/ops/faults/backlog", {
      method: "POST",
      body: { consumer: "analytics", count: 20, tag },
    });
    expect(backlog.status).toBe(202);

    await page.waitForFunction(
      `Number(document.querySelector('[data-field="analytics.backlog"]').textContent) >= ${before + 20}`,
      undefined,
      { timeout: 75_000 },
    );
    expect(await page.evaluate("window.__sameDocument")).toBe(true);
    expect(Number(await figure("total.backlog"))).toBeGreaterThanOrEqual(before + 20);
    expect(await figure("analytics.oldest")).toMatch(/\d+ s$/);
    expect(await figure("analytics.backlogSource")).toBe("from the queue");
    await saveScreenshot(page, "console-flows-backlog");
  }, 120_000);
});
