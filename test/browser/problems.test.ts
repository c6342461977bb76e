import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PROBLEM_TYPES, type ProblemSlug } from "../../src/platform/problem-types";
import {
  accessibilityViolations,
  type Chromium,
  horizontalOverflow,
  launchChromium,
  saveScreenshot,
} from "../support/browser";

const base = inject("baseUrl");
const SLUGS = Object.keys(PROBLEM_TYPES) as ProblemSlug[];
/** The page most likely to push a phone's screen sideways: its h1 is the slug, in monospace. */
const LONGEST = SLUGS.reduce((a, b) => (b.length > a.length ? b : a));
/** The page as a person reads it: the registry's backticks become code, the words stay. */
const plain = (text: string) => text.replaceAll("`", "");

let browser: Chromium;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

async function open(path: string) {
  const page = await browser.context.newPage();
  const res = await page.goto(`${base}${path}`);
  expect({ path, status: res?.status() }).toEqual({ path, status: 200 });
  return page;
}

/** The page's definition list as term → description. */
async function definitions(page: Awaited<ReturnType<typeof open>>) {
  const terms = await page.getByRole("main").locator("dt").allInnerTexts();
  const descriptions = await page.getByRole("main").locator("dd").allInnerTexts();
  return Object.fromEntries(terms.map((t, i) => [t, descriptions[i]]));
}

describe("/problems in a browser", () => {
  it("lists every registered type; a click opens its page, which says what to do and links back", async () => {
    const page = await open("/problems");
    expect(await page.title()).toBe("Problem types · Crossdock");
    // Standards mode: the layout's doctype arrived first.
    expect(await page.evaluate("document.compatMode")).toBe("CSS1Compat");
    const links = page.getByRole("main").getByRole("listitem").getByRole("link");
    expect(await links.allInnerTexts()).toEqual(SLUGS);
    await saveScreenshot(page, "problems-index");

    const slug: ProblemSlug = "validation-error";
    await page.getByRole("link", { name: slug, exact: true }).click();
    await page.waitForURL(`${base}/problems/${slug}`);
    const t = PROBLEM_TYPES[slug];
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(slug);
    expect(await definitions(page)).toEqual({
      Status: `${t.status} ${t.title}`,
      "What it means": plain(t.meaning),
      "What to do": plain(t.todo),
    });
    await saveScreenshot(page, "problems-validation-error");

    await page.getByRole("main").getByRole("link", { name: "All problem types" }).click();
    await page.waitForURL(`${base}/problems`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Crossdock problem types");
    await page.close();
  });

  it("the type of a real problem answer (a 404, a 400) opens its page", async () => {
    const answers = [
      await fetch(`${base}/v1/no-such-route`),
      await fetch(`${base}/v1/products?no_such_parameter=1`),
    ];
    const problems = await Promise.all(
      answers.map(async (res) => ({ status: res.status, ...((await res.json()) as { type: string }) })),
    );
    expect(problems).toEqual([
      expect.objectContaining({ status: 404, type: "/problems/not-found" }),
      expect.objectContaining({ status: 400, type: "/problems/validation-error" }),
    ]);
    for (const { status, type } of problems) {
      const page = await open(type);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(type.split("/").at(-1));
      expect((await definitions(page)).Status).toMatch(new RegExp(`^${status} `));
      await saveScreenshot(page, `problems-resolved-${status}`);
      await page.close();
    }
  });

  it.each([
    ["/problems", "problems-index-axe"],
    [`/problems/${LONGEST}`, "problems-longest-axe"],
  ])("%s: axe finds no WCAG 2.1 AA violation", async (path, screenshot) => {
    const page = await open(path);
    expect(await accessibilityViolations(page)).toEqual([]);
    await saveScreenshot(page, screenshot);
    await page.close();
  });

  it.each([
    ["/problems", "problems-index-375px"],
    [`/problems/${LONGEST}`, "problems-longest-375px"],
  ])("%s fits a 375 px wide phone: nothing scrolls sideways", async (path, screenshot) => {
    const page = await open(path);
    await page.setViewportSize({ width: 375, height: 812 });
    expect(await horizontalOverflow(page)).toBe(0);
    await saveScreenshot(page, screenshot);
    await page.close();
  });
});
