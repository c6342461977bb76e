/**
 * Charts for docs/BENCHMARKS.md: a Vega-Lite spec rendered to SVG in Node (vega's headless view, no DOM,
 * no canvas, no network) and committed next to the document, so GitHub and any Markdown viewer show it.
 * Every chart sits beside the table it draws: the table stays the source of truth, the chart the glance.
 * Runs in Node only (vega compiles expressions with `new Function`, which workerd forbids).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as vega from "vega";
import { type Config, compile, type TopLevelSpec } from "vega-lite";

/** Where the SVGs live, relative to docs/BENCHMARKS.md. */
export const CHARTS_DIR = "benchmarks";

/** One bar: `value` for `series` within `group`, with an optional 95% interval. */
export interface Bar {
  readonly group: string;
  readonly series: string;
  readonly value: number;
  readonly lo?: number;
  readonly hi?: number;
}

export interface BarChart {
  readonly title: string;
  /** The value axis' title, unit included ("req/s", "ms p99", "× bare"). */
  readonly axis: string;
  readonly bars: readonly Bar[];
  /** A reference line (a target), labelled. */
  readonly rule?: { readonly value: number; readonly label: string };
  /** Log scale for values spanning orders of magnitude (a chain's p99 vs a 202's). */
  readonly log?: boolean;
}

/** One point of a line: `y` at `x` for `series`. */
export interface Point {
  readonly x: number;
  readonly y: number;
  readonly series: string;
}

export interface LineChart {
  readonly title: string;
  readonly xAxis: string;
  readonly yAxis: string;
  readonly points: readonly Point[];
  readonly log?: boolean;
}

const WIDTH = 560;
const CONFIG: Config = {
  font: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
  background: "#ffffff",
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: "#e5e7eb" },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: "bottom", labelLimit: 0 },
  title: { fontSize: 14, anchor: "start" },
  // A colour-blind-safe palette (Okabe–Ito), so series differ by more than hue alone where it matters.
  range: {
    category: ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"],
  },
} as const;

/** The power of ten at or below the smallest positive value: where log-scale bars start. */
export const logBaseline = (bars: readonly Bar[]): number => {
  const smallest = Math.min(...bars.map((b) => b.lo ?? b.value).filter((v) => v > 0));
  return Number.isFinite(smallest) ? 10 ** Math.floor(Math.log10(smallest)) : 1;
};

/** The Vega-Lite spec of a grouped bar chart (exported for tests). */
export function barSpec(chart: BarChart): TopLevelSpec {
  const values = chart.bars.map((b) => ({ ...b }));
  const scale = chart.log ? { type: "log" as const } : { zero: true };
  const withInterval = chart.bars.some((b) => b.lo !== undefined && b.hi !== undefined);
  const layers: object[] = [
    {
      mark: { type: "bar", tooltip: false },
      encoding: {
        y: { field: "series", type: "nominal", title: null, axis: null },
        x: { field: "value", type: "quantitative", title: chart.axis, scale },
        // A bar on a log scale cannot start at 0: it starts at a decade below the smallest value.
        ...(chart.log ? { x2: { datum: logBaseline(chart.bars) } } : {}),
        color: { field: "series", type: "nominal", title: null },
      },
    },
    {
      mark: { type: "text", align: "left", dx: 4, fontSize: 10 },
      encoding: {
        y: { field: "series", type: "nominal" },
        x: { field: withInterval ? "hi" : "value", type: "quantitative" },
        text: { field: "value", type: "quantitative", format: ",.3~r" },
      },
    },
  ];
  if (withInterval) {
    layers.push({
      mark: { type: "rule", color: "#111827" },
      encoding: {
        y: { field: "series", type: "nominal" },
        x: { field: "lo", type: "quantitative" },
        x2: { field: "hi" },
      },
    });
  }
  const facet: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: chart.title,
    data: { values },
    config: CONFIG,
    facet: {
      row: { field: "group", type: "nominal", title: null, header: { labelAngle: 0, labelAlign: "left" } },
    },
    spec: {
      width: WIDTH - 160,
      layer: chart.rule
        ? [
            ...layers,
            {
              data: { values: [{ rule: chart.rule.value, label: chart.rule.label }] },
              layer: [
                {
                  mark: { type: "rule", strokeDash: [4, 3], color: "#B91C1C" },
                  encoding: { x: { field: "rule", type: "quantitative" } },
                },
              ],
            },
          ]
        : layers,
    },
  } as TopLevelSpec;
  return facet;
}

/** The Vega-Lite spec of a line chart (exported for tests). */
export function lineSpec(chart: LineChart): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: chart.title,
    width: WIDTH,
    height: 240,
    data: { values: chart.points.map((p) => ({ ...p })) },
    config: CONFIG,
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "x", type: "quantitative", title: chart.xAxis },
      y: {
        field: "y",
        type: "quantitative",
        title: chart.yAxis,
        scale: chart.log ? { type: "log" } : { zero: true },
      },
      color: { field: "series", type: "nominal", title: null },
      strokeDash: { field: "series", type: "nominal", title: null },
    },
  } as TopLevelSpec;
}

const escapeXml = (s: string) =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/**
 * The SVG with `title` as its accessible name: a `<title>` first child and `role="img"`, which screen
 * readers announce (and Biome's a11y rule asks for); vega writes neither.
 */
export function withTitle(svg: string, title: string): string {
  const open = svg.indexOf(">", svg.indexOf("<svg"));
  if (open === -1) throw new Error("not an SVG document");
  return `${svg.slice(0, open)} role="img">${`<title>${escapeXml(title)}</title>`}${svg.slice(open + 1)}`;
}

/** Renders a Vega-Lite spec to an SVG string, named by `title` for assistive technology. */
export async function renderSvg(spec: TopLevelSpec, title: string): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return `${withTitle(await view.toSVG(), title)}\n`;
  } finally {
    view.finalize();
  }
}

/**
 * Writes `docs/benchmarks/<name>.svg` and returns the Markdown that shows it from docs/BENCHMARKS.md.
 * `docsDir` is the repository's docs directory.
 */
export async function writeChart(
  docsDir: string,
  name: string,
  spec: TopLevelSpec,
  alt: string,
): Promise<string> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`chart name must be kebab-case: ${name}`);
  const dir = join(docsDir, CHARTS_DIR);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${name}.svg`), await renderSvg(spec, alt));
  return `![${alt.replaceAll(/[[\]]/g, "")}](${CHARTS_DIR}/${name}.svg)`;
}
