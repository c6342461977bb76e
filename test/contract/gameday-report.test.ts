import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { GamedayReport, HypothesisCheck, Verdict } from "../../gameday/lib/report-model";
import { exitCodeOf, gamedayRecord } from "../../gameday/lib/report-model";
import { CHARTS, renderHtml, renderMarkdown, writeReport } from "../../gameday/lib/report-render";
import type { GamedayCheck, GamedayVerdict } from "../../src/flows/ops/schema";
import { RecordGamedayRequestSchema } from "../../src/routes/ops/gamedays.routes";
import { gamedayReportFixture } from "../support/gameday-report-fixture";

const report = gamedayReportFixture();

/** The JSON the page embeds for its charts. */
function embedded(html: string): GamedayReport {
  const m = html.match(/<script type="application\/json" id="gameday-data">([^<]*)<\/script>/);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]!) as GamedayReport;
}

describe("the game-day report as Markdown", () => {
  const md = renderMarkdown(report);

  it("names the scenario and the verdict in its title, and every check with ✔ or ✘", () => {
    expect(md.split("\n")[0]).toBe("# Game day: consumer-failure — ✘ hypothesis failed");
    expect(md).toContain(
      "**Result: failed** — 4 of 5 checks held; failed: email backlog drained after the fault (41 s, expected ≤ 30 s).",
    );
    for (const c of report.checks) {
      const row = md.split("\n").find((line) => line.includes(`| ${c.name}`));
      expect(row, c.name).toBeDefined();
      expect(row).toContain(c.held ? "✔ yes" : "✘ **no**");
      expect(row).toContain(c.actual);
    }
  });

  it("has the plan, the per-phase figures, the checker's counts, retries, recovery, cost and findings", () => {
    for (const text of [
      report.hypothesis,
      report.abortCondition,
      "| email backlog ",
      "| in flight at a fault |",
      "| signup |",
      "| email              |",
      "Dead letters: 0 stored, 0 redriven; redrive delivered each once: not checked.",
      "- Time to recover: 41.0 s",
      "- Cost on Cloudflare: no fact committed, nothing to price",
      "## Findings (1)",
      "- [unexpected] signup/every account was asked for: gd-1234-signup-17@example.test: not in the history",
    ])
      expect(md).toContain(text);
    // A violation is marked: the unexpected sign-up, in the flow and invariant tables.
    expect(md.match(/^\| signup \|.*\|\s+\*\*1\*\* \|$/gm)).toHaveLength(2);
  });

  it("says what each chart shows, peaks inside the fault window named", () => {
    for (const c of CHARTS) expect(md).toContain(`- **${c.title}** (${c.unit}): `);
    expect(md).toMatch(
      /email peaks at 6\d\d at t\+1:4\d \(in the fault window “email consumer failing”\), ends at \d/,
    );
    expect(md).toContain("analytics peaks at");
  });

  it("renders a held run and a missing cost model without inventing figures", () => {
    const held = renderMarkdown({
      ...report,
      verdict: "held",
      checks: report.checks.map((c) => ({ ...c, held: true })),
      cost: { perMillionEvents: 0.41, run: 0.0093, currency: "USD", model: "bench cost model v1" },
      timeToRecoverMs: null,
      deadLetters: null,
    });
    expect(held.split("\n")[0]).toBe("# Game day: consumer-failure — ✔ hypothesis held");
    expect(held).toContain("$0.41 per million events; this run $0.0093 (bench cost model v1)");
    expect(held).toContain("**did not recover** within the run");
    expect(held).toContain("Dead letters: not measured in this scenario.");
  });
});

describe("the game-day report as one HTML page", () => {
  const html = renderHtml(report);

  it("is self-contained: no script, stylesheet or image from a URL", () => {
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=/i);
    expect(html).not.toMatch(/<img[^>]+src=/i);
    expect(html).not.toMatch(/url\(\s*['"]?(https?:)?\/\//i);
    expect(html).not.toMatch(/(src|href)=["']?https?:/i);
    // uPlot is inlined, its stylesheet too.
    expect(html).toContain("uPlot");
    expect(html).toContain(".u-legend");
  });

  it("embeds the report as JSON for the charts, safely inside its script", () => {
    const data = embedded(html);
    expect(data).toEqual(report);
    const hostile = renderHtml({ ...report, notes: ["</script><script>alert(1)</script>"] });
    expect(embedded(hostile).notes).toEqual(["</script><script>alert(1)</script>"]);
    expect(hostile).not.toContain("<script>alert(1)");
  });

  it("has a chart per series with a text summary, and every table with a caption and headers", () => {
    expect(html.match(/<div class="chart" data-series=/g)).toHaveLength(4);
    expect(html.match(/<figcaption>/g)).toHaveLength(4);
    const tables = html.match(/<table>/g)?.length ?? 0;
    expect(tables).toBe(6);
    expect(html.match(/<caption /g)).toHaveLength(tables);
    expect(html).toContain("<title>Game day: consumer-failure — ✘ hypothesis failed</title>");
  });
});

describe("writeReport", () => {
  it("writes report.md, report.html and report.json into the run's folder", async () => {
    const dir = join(await mkdtemp(join(tmpdir(), "gameday-report-")), report.id);
    try {
      const { markdown } = writeReport(dir, report);
      expect(await readFile(join(dir, "report.md"), "utf8")).toBe(markdown);
      expect(await readFile(join(dir, "report.html"), "utf8")).toBe(renderHtml(report));
      expect(JSON.parse(await readFile(join(dir, "report.json"), "utf8"))).toEqual(report);
    } finally {
      await rm(join(dir, ".."), { recursive: true, force: true });
    }
  });
});

describe("the run's record for POST /ops/gamedays", () => {
  it("is a body the route accepts, with the checker's totals", () => {
    const body = gamedayRecord(report, renderMarkdown(report), `gameday/reports/${report.id}/`);
    expect(RecordGamedayRequestSchema.safeParse(body).error).toBeUndefined();
    expect(body.totals).toEqual({ lost: 0, duplicated: 0, unexpected: 1 });
    expect(body.startedAt).toBe("2026-12-05T10:00:00.000Z");
  });

  it("the model's verdicts and checks are the route's, and only a held run exits 0", () => {
    expectTypeOf<Verdict>().toEqualTypeOf<GamedayVerdict>();
    expectTypeOf<HypothesisCheck>().toEqualTypeOf<GamedayCheck>();
    expect(exitCodeOf(report)).toBe(1);
    expect(exitCodeOf({ ...report, verdict: "aborted" })).toBe(1);
    expect(exitCodeOf({ ...report, verdict: "held" })).toBe(0);
  });
});
