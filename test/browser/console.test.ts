import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { accessibilityViolations, type Chromium, launchChromium, saveScreenshot } from "../support/browser";
import { SERVED_ADMIN } from "../support/served-worker";

const base = inject("baseUrl");

let browser: Chromium;
let page: Page;
/** Every request the pages made that left the served worker's origin. */
const elsewhere: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on("request", (req) => {
    if (!req.url().startsWith(base) && !req.url().startsWith("data:")) elsewhere.push(req.url());
  });
});
afterAll(() => browser?.close());

describe("signing in to the console in a browser", () => {
  it("sends a signed-out visitor to the sign-in form, which passes axe", async () => {
    await page.goto(`${base}/console`);
    expect(new URL(page.url()).pathname).toBe("/console/login");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Sign in to the console");
    expect(await accessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, "console-sign-in");
  });

  it("shows what went wrong for a wrong password, keeping the email", async () => {
    await page.getByLabel("Email").fill(SERVED_ADMIN.email);
    await page.getByLabel("Password").fill("wrong-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForLoadState();
    expect(await page.getByRole("alert").textContent()).toContain("do not match an account");
    expect(await page.getByLabel("Email").inputValue()).toBe(SERVED_ADMIN.email);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it("signs in with the keyboard alone and lands on the console, cookie out of the page's reach", async () => {
    await page.getByLabel("Password").focus();
    await page.keyboard.type(SERVED_ADMIN.password);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${base}/console`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Flows at a glance");
    expect(await page.getByText(SERVED_ADMIN.email).count()).toBeGreaterThan(0);
    // HttpOnly: the session is in the browser's jar but not in document.cookie.
    const cookies = await browser.context.cookies(base);
    const session = cookies.find((c) => c.name === "__Host-crossdock-console");
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict", path: "/" });
    expect(await page.evaluate("document.cookie")).not.toContain("crossdock-console");
    expect(await accessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, "console-overview");
  });

  it("reaches the search box from the keyboard, and signs out", async () => {
    await page.getByRole("searchbox", { name: "Find" }).focus();
    expect(await page.evaluate("document.activeElement.id")).toBe("console-find");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${base}/console/login`);
    await page.goto(`${base}/console`);
    expect(new URL(page.url()).pathname).toBe("/console/login");
  });

  it("asked nothing of another host", () => {
    expect(elsewhere).toEqual([]);
  });
});
