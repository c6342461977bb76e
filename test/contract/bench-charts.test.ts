import { describe, expect, it } from "vitest";
import { barSpec, lineSpec, logBaseline, renderSvg } from "../../bench/lib/charts";

// The charts in docs/BENCHMARKS.md are SVG drawn by vega in Node; these check that what is drawn is the
// data given (one bar per value, an interval per bar that has one, the target line), and that the same
// data always draws the same bytes, so a regenerated file changes only when its figures do.
const bars = barSpec({
  title: "me, req/s",
  axis: "req/s",
  bars: [
    { group: "me", series: "crossdock", value: 1100, lo: 1080, hi: 1120 },
    { group: "me", series: "hand-written SQL", value: 1300, lo: 1290, hi: 1310 },
    { group: "search", series: "crossdock", value: 297, lo: 280, hi: 300 },
  ],
  rule: { value: 1000, label: "target" },
});

describe("bench charts", () => {
  it("draws one bar per value with its label, and an interval rule per bar", async () => {
    const svg = await renderSvg(bars, "me, req/s");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/class="mark-rect role-mark[^"]*"/g)?.length ?? 0).toBeGreaterThan(0);
    // Each bar's value is written beside it.
    for (const label of ["1,100", "1,300", "297"]) expect(svg).toContain(`>${label}<`);
    for (const series of ["crossdock", "hand-written SQL"]) expect(svg).toContain(series);
    for (const group of ["me", "search"]) expect(svg).toContain(`>${group}<`);
  });

  it("draws bars on a log scale from a decade below the smallest value, not from 0", async () => {
    expect(
      logBaseline([
        { group: "g", series: "a", value: 36 },
        { group: "g", series: "b", value: 30_400 },
      ]),
    ).toBe(10);
    const svg = await renderSvg(
      barSpec({
        title: "p99",
        axis: "ms",
        log: true,
        bars: [
          { group: "1,000 buyers", series: "chain", value: 30_400 },
          { group: "1,000 buyers", series: "202 + saga", value: 36 },
        ],
      }),
      "a chart",
    );
    // Each bar is a path with a positive width (a bar from 0 on a log scale has none drawn).
    const widths = [
      ...svg.matchAll(/role-mark[^"]*"[^>]*>.*?<path[^>]*d="M([\d.-]+),[\d.-]+h([\d.-]+)/g),
    ].map((m) => Number(m[2]));
    expect(widths.length).toBeGreaterThanOrEqual(2);
    for (const w of widths) expect(w).toBeGreaterThan(0);
  });

  it("names the chart for assistive technology: a <title> first and role img", async () => {
    const svg = await renderSvg(bars, 'Req/s & p99 "me"');
    expect(svg).toMatch(/^<svg [^>]* role="img"><title>Req\/s &amp; p99 &quot;me&quot;<\/title>/);
  });

  it("is deterministic: the same data renders the same SVG", async () => {
    expect(await renderSvg(bars, "me, req/s")).toBe(await renderSvg(bars, "me, req/s"));
  });

  it("draws a line chart on a log scale with its series in the legend", async () => {
    const svg = await renderSvg(
      lineSpec({
        title: "placement p99",
        xAxis: "buyers",
        yAxis: "ms",
        log: true,
        points: [
          { x: 100, y: 1100, series: "chain" },
          { x: 1000, y: 9000, series: "chain" },
          { x: 100, y: 20, series: "202 + saga" },
          { x: 1000, y: 200, series: "202 + saga" },
        ],
      }),
      "a chart",
    );
    expect(svg).toContain("chain");
    expect(svg).toContain("202 + saga");
    expect(svg).toContain(">10,000<");
  });
});
