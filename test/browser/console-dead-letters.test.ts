import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { accessibilityViolations, type Chromium, launchChromium, saveScreenshot } from "../support/browser";
import { SERVED_ADMIN } from "../support/served-worker";

const base = inject("baseUrl");

let browser: Chromium;
let page: Page;
let token: string;
/** The buyer whose welcome email is poisoned. */
const email = `poisoned-${crypto.randomUUID().slice(0, 8)}@example.com`;
let letterId: string;

/** The admin API beside the browser: to set the fault and to check the mailbox. */
const api = async (path: string, init: { method?: string; body?: unknown } = {}) => {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? "GET",
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return {
    status: res.status,
    body: res.status === 204 ? null : ((await res.json()) as Record<string, unknown>),
  };
};

/** Polls until `probe` answers something, at most `timeoutMs`. */
async function until<T>(probe: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = await probe();
    if (found !== null) return found;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`nothing after ${timeoutMs} ms`);
}

const noSeriousViolations = async () =>
  expect((await accessibilityViolations(page)).filter((v) => /\((serious|critical)\)/.test(v))).toEqual([]);

beforeAll(async () => {
  const login = await api("/v1/auth/login", { method: "POST", body: SERVED_ADMIN });
  expect(login.status).toBe(200);
  token = login.body?.token as string;
  browser = await launchChromium();
  page = await browser.context.newPage();
});
afterAll(async () => {
  if (token) await api("/ops/faults", { method: "DELETE" });
  await browser?.close();
});

describe("dead letters in the console, from a poison message to a throttled redrive", () => {
  it("signs in and lands on the dead letters", async () => {
    await page.goto(`${base}/console/dead-letters`);
    expect(new URL(page.url()).pathname).toBe("/console/login");
    await page.getByLabel("Email").fill(SERVED_ADMIN.email);
    await page.getByLabel("Password").fill(SERVED_ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${base}/console/dead-letters`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Dead letters");
  });

  it("shows the poisoned welcome email as a dead letter, grouped by its consumer and error", async () => {
    const fault = await api("/ops/faults", {
      method: "POST",
      body: { kind: "poison", consumer: "email", rate: 1, expiresInSeconds: 600 },
    });
    expect(fault.status).toBe(201);
    const signup = await api("/v1/auth/signup", {
      method: "POST",
      body: { email, password: "poison-and-redrive", name: "Poisoned", role: "buyer" },
    });
    expect(signup.status).toBe(201);
    // Every attempt fails; after max_retries (5, backing off from 2 s) the email DLQ stores it.
    letterId = await until(async () => {
      const list = await api("/ops/dead-letters?consumer=email&limit=100");
      const items = (list.body?.items ?? []) as { id: string; envelope: { data?: { email?: string } } }[];
      return items.find((i) => i.envelope?.data?.email === email)?.id ?? null;
    }, 150_000);
    expect((await api("/ops/faults", { method: "DELETE" })).status).toBe(204);

    await page.goto(`${base}/console/dead-letters`);
    const group = page.getByRole("row").filter({ hasText: "injected:" });
    await group.first().waitFor();
    expect(await group.first().textContent()).toContain("email");
    expect(await page.getByRole("link", { name: letterId }).count()).toBe(1);
    await noSeriousViolations();
    await saveScreenshot(page, "console-dead-letters");

    await page.getByRole("link", { name: letterId }).click();
    await page.waitForURL(`${base}/console/dead-letters/${letterId}`);
    expect(await page.locator("pre").first().textContent()).toContain("injected:");
    expect(await page.locator("pre").nth(1).textContent()).toContain(email);
    await noSeriousViolations();
    await saveScreenshot(page, "console-dead-letter");
  }, 180_000);

  it("redrives its group as a throttled run and watches it reach done, the email delivered", async () => {
    await page.getByRole("link", { name: "Every dead letter of this group" }).click();
    await page.getByLabel("Batch size").fill("1");
    await page.getByLabel("Letters per second").fill("1");
    await page.getByRole("button", { name: "Start redrive run" }).click();
    await page.waitForURL(/\/console\/dead-letters\/runs\/rdr_/);
    expect(await page.getByRole("status").textContent()).toContain("Run started");

    // The figures move by the page's SSE stream alone: no reload from here on.
    const state = page.locator('[data-field="state"]');
    await page.waitForFunction(
      `document.querySelector('[data-field="state"]').textContent === "done"`,
      undefined,
      { timeout: 60_000 },
    );
    expect(await state.textContent()).toBe("done");
    expect(await page.locator('[data-field="remaining"]').textContent()).toBe("0");
    const total = Number(await page.locator('[data-field="total"]').textContent());
    expect(Number(await page.locator('[data-field="redriven"]').textContent())).toBe(total);
    expect(await page.getByRole("button", { name: "Pause" }).isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Cancel run" }).isDisabled()).toBe(true);
    await noSeriousViolations();
    await saveScreenshot(page, "console-redrive-run");

    const mail = await until(async () => {
      const box = await api(`/ops/mailbox?to=${encodeURIComponent(email)}`);
      const items = (box.body?.items ?? []) as unknown[];
      return items.length > 0 ? items : null;
    }, 30_000);
    expect(mail).toHaveLength(1);
    const letter = await api(`/ops/dead-letters/${letterId}`);
    expect(letter.body?.status).toBe("redriven");
  }, 120_000);
});
