import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Chromium, launchChromium, saveScreenshot } from "../support/browser";

const base = inject("baseUrl");

interface OpenApiDocument {
  info: { title: string };
  tags: { name: string }[];
  paths: Record<string, Record<string, { summary?: string }>>;
}

let browser: Chromium;
let page: Page;
let doc: OpenApiDocument;
/** Every request the page made, from its first load to the end of the file. */
const requested: string[] = [];

beforeAll(async () => {
  doc = (await (await fetch(`${base}/openapi.json`)).json()) as OpenApiDocument;
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on("request", (req) => requested.push(req.url()));
  const res = await page.goto(`${base}/docs`);
  expect(res?.status()).toBe(200);
});
afterAll(() => browser?.close());

/** The group names of the reference's sidebar, in order, as a screen reader hears them. */
async function sidebarGroups(): Promise<string[]> {
  const sidebar = page.getByRole("navigation", { name: `Sidebar for ${doc.info.title}` });
  const tree = await sidebar.ariaSnapshot();
  return [...tree.matchAll(/button "(.+?) (?:Open|Close) Group"/g)].map((m) => m[1] as string);
}

/**
 * Waits until the page has asked for nothing new for a second (at most 20 s). Playwright's `networkidle`
 * is a load state of the first navigation, not of what scrolling triggers, and on a loaded machine it
 * timed out once; counting the requests this file records is what the assertion is about anyway.
 */
async function requestsSettle(): Promise<void> {
  const deadline = Date.now() + 20_000;
  let seen = -1;
  while (requested.length !== seen && Date.now() < deadline) {
    seen = requested.length;
    await page.waitForTimeout(1_000);
  }
}

describe("/docs in a browser, offline", () => {
  it("renders the API reference from /openapi.json", async () => {
    const summary = doc.paths["/v1/auth/login"]?.post?.summary;
    expect(summary).toBeTruthy();
    await page.getByRole("heading", { name: summary }).waitFor({ state: "visible" });
    expect(await page.title()).toBe(doc.info.title);
    await saveScreenshot(page, "docs");
  });

  it("lists the public groups first and Operations after them, in the document's order", async () => {
    const tags = doc.tags.map((t) => t.name);
    expect(tags.at(-1)).toBe("Operations");
    const groups = await sidebarGroups();
    // Scalar adds its own group for the schemas (Models) after the document's tags.
    expect(groups.filter((g) => tags.includes(g))).toEqual(tags);
    const operations = groups.indexOf("Operations");
    for (const tag of tags.slice(0, -1)) {
      expect({ tag, before: groups.indexOf(tag) < operations }).toEqual({ tag, before: true });
    }
    await page.getByRole("button", { name: "Operations Open Group" }).click();
    await page.getByRole("button", { name: "Operations Close Group" }).waitFor();
    await saveScreenshot(page, "docs-operations-open");
  });

  it("shows none of the buttons that call Scalar's hosted services (Ask AI, Deploy, Share)", async () => {
    const shown: string[] = [];
    for (const name of ["Ask AI", "Deploy", "Share"]) {
      for (const role of ["button", "link"] as const) {
        if ((await page.getByRole(role, { name }).count()) > 0) shown.push(`${role} "${name}"`);
      }
    }
    expect(shown).toEqual([]);
    // From the top, where Scalar's toolbar would sit, with the sidebar beside it.
    await page.evaluate("window.scrollTo(0, 0)");
    await saveScreenshot(page, "docs-no-hosted-buttons");
  });

  it("asked nothing of any host but this server, after loading, opening a group and scrolling", async () => {
    await page.keyboard.press("End");
    await page.mouse.wheel(0, 100_000);
    await requestsSettle();
    await saveScreenshot(page, "docs-scrolled");
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => new URL(url).origin !== base)).toEqual([]);
  });
});
