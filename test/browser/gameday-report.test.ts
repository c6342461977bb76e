import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeReport } from "../../gameday/lib/report-render";
import {
  accessibilityViolations,
  type Chromium,
  horizontalOverflow,
  launchChromium,
  saveScreenshot,
} from "../support/browser";
import { gamedayReportFixture } from "../support/gameday-report-fixture";

interface Rect {
  left: number;
  right: number;
  top: number;
  bottom: number;
}
interface ChartPixels {
  width: number;
  height: number;
  /** Pixels that are not fully transparent. */
  inked: number;
  shaded: Rect[];
  /** Of samples down each shaded rect: how many are the fault's red, and how many 10 px left of it. */
  redInside: number;
  redOutside: number;
  samples: number;
}

let browser: Chromium;
let dir: string;
let url: string;
/** Every request a page made that was not for the report file itself. */
const requested: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gameday-report-"));
  writeReport(dir, gamedayReportFixture());
  url = pathToFileURL(join(dir, "report.html")).href;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

async function open(width: number, height: number): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height });
  page.on("request", (req) => {
    if (req.url() !== url) requested.push(req.url());
  });
  await page.goto(url);
  await page.waitForFunction("document.documentElement.dataset.chartsDrawn === '4'");
  return page;
}

/**
 * Reads each chart's canvas back: how much of it is drawn, and whether the fault window's rect (as the
 * page's plugin recorded it) is filled with the fault's red where a 10-px column beside it is not.
 */
const chartPixels = (page: Page) =>
  page.evaluate(`[...document.querySelectorAll(".chart .uplot")].map((root) => {
    const canvas = root.querySelector("canvas");
    const ctx = canvas.getContext("2d");
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let inked = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked++;
    const shaded = JSON.parse(root.dataset.faultRects || "[]");
    const red = (x, y) => {
      const [r, g, b, a] = ctx.getImageData(Math.round(x), Math.round(y), 1, 1).data;
      // The fault's fill, rgba(214, 39, 40, 0.14), alone on the transparent canvas.
      return Math.abs(a - 36) <= 3 && r > 180 && g < 80 && b < 80;
    };
    let redInside = 0, redOutside = 0, samples = 0;
    for (const s of shaded) {
      // Off the middle: a grid line may run through it.
      const mid = s.left + (s.right - s.left) * 0.37;
      for (let k = 1; k < 20; k++) {
        const y = s.top + ((s.bottom - s.top) * k) / 20;
        samples++;
        if (red(mid, y)) redInside++;
        if (red(s.left - 10, y)) redOutside++;
      }
    }
    return { width: canvas.width, height: canvas.height, inked, shaded, redInside, redOutside, samples };
  })`) as Promise<ChartPixels[]>;

describe("the game-day report in a browser, from file://", () => {
  it("draws the four charts with the fault window shaded, at desktop width", async () => {
    const page = await open(1280, 900);
    const charts = await chartPixels(page);
    expect(charts).toHaveLength(4);
    for (const [i, c] of charts.entries()) {
      expect({ i, sized: c.width > 300 && c.height > 150 }).toEqual({ i, sized: true });
      // Axes, grid, shading and four lines: far more than a blank canvas's 0.
      expect({ i, inked: c.inked > (c.width * c.height) / 50 }).toEqual({ i, inked: true });
      expect(c.shaded).toHaveLength(1);
      expect(c.shaded[0]!.right - c.shaded[0]!.left).toBeGreaterThan(50);
      // Most of the column through the fault window is its red (lines and grid cross some samples).
      expect({ i, red: c.redInside / c.samples > 0.5 }).toEqual({ i, red: true });
      expect({ i, outside: c.redOutside }).toEqual({ i, outside: 0 });
    }
    const legends = await page.locator(".u-legend").allInnerTexts();
    expect(legends[0]).toContain("email");
    expect(legends[3]).toContain("quote");
    await saveScreenshot(page, "gameday-report-desktop");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(requested).toEqual([]);
  });

  it("fits a 375 px phone: no sideways scroll, charts as wide as their cards", async () => {
    const page = await open(375, 800);
    expect(await horizontalOverflow(page)).toBe(0);
    const widths = (await page.evaluate(
      `[...document.querySelectorAll(".chart")].map((el) => [el.clientWidth, el.querySelector(".uplot").offsetWidth])`,
    )) as [number, number][];
    expect(widths).toHaveLength(4);
    for (const [card, chart] of widths) {
      expect(card).toBeLessThan(375);
      expect(chart).toBe(card);
    }
    const charts = await chartPixels(page);
    for (const c of charts) expect(c.redInside / c.samples).toBeGreaterThan(0.5);
    await saveScreenshot(page, "gameday-report-phone");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(requested).toEqual([]);
  });

  it("redraws the charts to the new width when the window narrows", async () => {
    const page = await open(1280, 900);
    await page.setViewportSize({ width: 600, height: 900 });
    await page.waitForFunction(
      `[...document.querySelectorAll(".chart")].every((el) => el.querySelector(".uplot").offsetWidth === el.clientWidth)`,
    );
    expect(await horizontalOverflow(page)).toBe(0);
  });
});
