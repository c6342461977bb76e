import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { accessibilityViolations, type Chromium, launchChromium, saveScreenshot } from "../support/browser";
import { SERVED_ADMIN } from "../support/served-worker";

// The console's cookie is Secure (and `__Host-`): over plain HTTP a browser keeps it for localhost only.
const base = inject("baseUrl").replace("127.0.0.1", "localhost");
const api = inject("baseUrl");

let browser: Chromium;
let page: Page;

async function post<T>(path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(`${api}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const GAMEDAY = `records-browser-${Date.now()}`;

beforeAll(async () => {
  // A fact, an email and a game-day run for the pages to show, made through the API.
  await post("/v1/auth/signup", {
    email: `${GAMEDAY}@demo.crossdock`,
    password: "records-password-1",
    name: "Records Reader",
    role: "buyer",
  });
  const admin = await post<{ token: string }>("/v1/auth/login", SERVED_ADMIN);
  const now = Date.now();
  await post(
    "/ops/gamedays",
    {
      id: GAMEDAY,
      scenario: "consumer-failure",
      verdict: "failed",
      hypothesis: "If the email consumer fails for a minute, no email is lost or sent twice.",
      startedAt: new Date(now - 300_000).toISOString(),
      endedAt: new Date(now - 60_000).toISOString(),
      checks: [
        { name: "duplicated effects", expected: "0", actual: "0", held: true },
        { name: "backlog drained within 60 s", expected: "≤ 60 s", actual: "72 s", held: false },
      ],
      totals: { lost: 0, duplicated: 0, unexpected: 1 },
      markdown: "# Game day: consumer-failure — failed\n",
      reportPath: `gameday/reports/${GAMEDAY}/`,
    },
    admin.token,
  );

  browser = await launchChromium();
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${base}/console/login?next=${encodeURIComponent("/console/events")}`);
  await page.getByLabel("Email").fill(SERVED_ADMIN.email);
  await page.getByLabel("Password").fill(SERVED_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${base}/console/events`);
});
afterAll(() => browser?.close());

/** axe's serious and critical findings on the page as it is now (the bar every console page meets). */
const seriousViolations = async () =>
  (await accessibilityViolations(page)).filter((v) => /\((serious|critical)\)/.test(v));

async function check(path: string, name: string) {
  const res = await page.goto(`${base}${path}`);
  expect(res?.status()).toBe(200);
  await page.getByRole("heading", { level: 1 }).waitFor();
  expect(await seriousViolations()).toEqual([]);
  await saveScreenshot(page, `console-records-${name}`);
}

describe("the console's record pages in a browser", () => {
  it.each([
    ["/console/events", "events"],
    ["/console/deliveries", "deliveries"],
    ["/console/jobs", "jobs"],
    ["/console/mailbox", "mailbox"],
    ["/console/gamedays", "gamedays"],
    ["/console/audit", "audit"],
  ])("%s passes axe", async (path, name) => {
    await check(path, name);
  });

  it("costs: its chart is drawn by uPlot when a flow has figures, and the page passes axe", async () => {
    await check("/console/costs", "costs");
    if ((await page.locator("#cost-chart").count()) > 0) {
      await page.locator("#cost-chart canvas").waitFor();
    }
  });

  it("an event's page, reached from the list, shows its upcast history and consumers", async () => {
    await page.goto(`${base}/console/events?type=user.registered`);
    await page.locator('a[href^="/console/events/evt_"]').first().click();
    await page.getByRole("heading", { name: "Upcast history" }).waitFor();
    await page.getByRole("heading", { name: "Who consumed it" }).waitFor();
    expect(await seriousViolations()).toEqual([]);
    await saveScreenshot(page, "console-records-event");
  });

  it("a game day's page, reached from the list, shows its checks", async () => {
    await page.goto(`${base}/console/gamedays`);
    await page.getByRole("link", { name: GAMEDAY }).click();
    await page.getByRole("table", { name: "Checks: 1 of 2 held" }).waitFor();
    expect(await seriousViolations()).toEqual([]);
    await saveScreenshot(page, "console-records-gameday");
  });

  it("settlements: the run form answers with a notice, and the run is in the audit log", async () => {
    await check("/console/settlements", "settlements");
    await page.getByRole("button", { name: "Run settlements" }).click();
    await expect
      .poll(() => page.getByRole("status").textContent())
      .toMatch(/^Settlements for \d{4}-\d{2}-\d{2} run/);
    expect(await seriousViolations()).toEqual([]);
    await saveScreenshot(page, "console-records-settlements-run");
    await page.goto(`${base}/console/audit?action=settlements.run`);
    await page.getByRole("cell", { name: "settlements.run" }).first().waitFor();
  });
});
