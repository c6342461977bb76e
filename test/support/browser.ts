import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import { type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's chromium (apt package `chromium`), or the browser CHROMIUM_PATH names. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

// Headless and quiet: a machine that refuses outside connections would otherwise see Chromium retry its
// background services (updates, sync, safe browsing, QUIC probes) for as long as it runs.
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Chromium {
  context: BrowserContext;
  /** Closes the browser and deletes its profile. */
  close(): Promise<void>;
}

/**
 * Chromium driven by playwright-core, on a fresh profile. No browser is downloaded: a missing one fails
 * the test with how to install it, so a machine without it never passes by skipping.
 *
 * @example
 * const browser = await launchChromium();
 * const page = await browser.context.newPage();
 */
export async function launchChromium(): Promise<Chromium> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}: the browser tests need one. Install Debian's ` +
        "(`apt-get install chromium`) or set CHROMIUM_PATH to a Chromium or Chrome binary.",
    );
  }
  const userDataDir = await mkdtemp(join(tmpdir(), "crossdock-chromium-"));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ARGS,
    });
    return {
      context,
      close: async () => {
        await context.close();
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(userDataDir, { recursive: true, force: true });
    throw err;
  }
}

// SCREENSHOTS_DIR: somewhere else, e.g. docs/storefront when `npm run web:screenshots` runs the tests.
const SCREENSHOTS = process.env.SCREENSHOTS_DIR || join(import.meta.dirname, "..", "browser", ".screenshots");

/**
 * A full-page screenshot in test/browser/.screenshots/<name>.png (or $SCREENSHOTS_DIR), for a person to
 * look at.
 */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The WCAG 2.1 A and AA rules, the level the pages are held to. */
const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/**
 * What axe-core finds against WCAG 2.1 AA on the page as it is now, one line per rule and element, so a
 * failing assertion reads as the list of what to fix. Empty when the page passes.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  return violations.flatMap((v) =>
    v.nodes.map(
      (node) => `${v.id} (${v.impact}): ${node.target.join(" ")}: ${node.failureSummary ?? v.help}`,
    ),
  );
}

/** How many CSS pixels the page is wider than its viewport: 0 when nothing scrolls sideways. */
export const horizontalOverflow = async (page: Page): Promise<number> =>
  // A string, evaluated in the page: the DOM's types are not in this Node project's lib.
  Number(await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"));

/**
 * The page's cumulative layout shift so far: Chromium's layout-shift entries without recent input, summed
 * as web-vitals sums them. A live part that pushes the page about when its update arrives shows here.
 */
export async function cumulativeLayoutShift(page: Page): Promise<number> {
  // A string, evaluated in the page: the tests' TypeScript has no DOM types.
  return (await page.evaluate(`new Promise((done) => {
    let sum = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) sum += e.value;
    }).observe({ type: "layout-shift", buffered: true });
    setTimeout(() => done(sum), 300);
  })`)) as number;
}
