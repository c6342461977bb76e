import { describe, expect, it } from "vitest";
import { ownedText, pickSteps, runSection, STEPS, uncleanPaths } from "../../bench/all";
import { chainClaims, costClaim, independenceClaim, spikesClaim, statusClaim } from "../../bench/claims";
import {
  CHECKOUT_MARKERS,
  RUN_MARKERS,
  sectionOf,
  withSection,
  withSectionFirst,
} from "../../bench/lib/doc-sections";
import type { GamedayReport, PhaseFigure } from "../../gameday/lib/report-model";
import { gamedayReportFixture } from "../support/gameday-report-fixture";

// `npm run bench:all` writes docs/BENCHMARKS.md from one run at one commit: these pin what decides
// whether a run may start (a clean tree), which steps run, where its sections land, and how the claims
// read the game days' figures.
describe("bench:all", () => {
  it("refuses a tree that differs from HEAD, except in the files the run itself writes", () => {
    const porcelain = [
      " M docs/BENCHMARKS.md",
      "?? docs/benchmarks/claims-spikes.svg",
      " M src/app.ts",
      "?? bench/new-harness.ts",
      "",
    ].join("\n");
    expect(uncleanPaths(porcelain)).toEqual(["src/app.ts", "bench/new-harness.ts"]);
    expect(uncleanPaths(" M docs/BENCHMARKS.md\n")).toEqual([]);
    expect(uncleanPaths(" M docs/BENCHMARKS.md\n?? docs/benchmarks/\n")).toEqual([]);
  });

  it("runs every step in order by default, the HTTP harness first and the claims last", () => {
    const names = pickSteps(undefined, undefined).map((s) => s.name);
    expect(names).toEqual(STEPS.map((s) => s.name));
    expect(names[0]).toBe("http");
    expect(names.at(-1)).toBe("claims");
    expect(pickSteps("chain,claims", undefined).map((s) => s.name)).toEqual(["chain", "claims"]);
    expect(pickSteps(undefined, "gamedays,http").map((s) => s.name)).not.toContain("gamedays");
    expect(() => pickSteps("chian", undefined)).toThrow(/unknown step\(s\) chian/);
  });

  it("puts its run section right under the title and keeps the other sections in place", () => {
    let doc = "# Benchmarks\n\nintro\n";
    doc = withSection(doc, "## Checkout\n\nfigures", CHECKOUT_MARKERS);
    doc = withSectionFirst(doc, "## This run\n\nat abc123", RUN_MARKERS);
    expect(doc.startsWith(`# Benchmarks\n\n${RUN_MARKERS.start}\n\n## This run`)).toBe(true);
    expect(doc).toContain("intro");
    // A second run replaces it rather than adding another.
    doc = withSectionFirst(doc, "## This run\n\nat def456", RUN_MARKERS);
    expect(doc.match(/## This run/g)).toHaveLength(1);
    expect(sectionOf(doc, RUN_MARKERS)).toContain("def456");
    expect(sectionOf(doc, CHECKOUT_MARKERS)).toContain("figures");
  });
});

const withFigures = (scenario: string, figures: PhaseFigure[], checks: GamedayReport["checks"] = []) => ({
  ...gamedayReportFixture(),
  scenario,
  phaseFigures: figures,
  checks,
});
const p99 = (route: string, steady: number, during: number): PhaseFigure => ({
  metric: `${route} p99`,
  unit: "ms",
  steady,
  during,
  after: null,
});

describe("the claims, from the game days' reports", () => {
  it("spikes: the worst route's drain p99 over its idle p99 decides, against 1.5×", () => {
    const met = spikesClaim(
      withFigures("backlog-recovery", [p99("me", 40, 50), p99("search", 40, 59), p99("quote", 30, 44)]),
    );
    expect(met.row.verdict).toBe("met");
    expect(met.row.measured).toContain("(worst 1.5×; game day at ");
    expect(met.bars).toEqual([
      { route: "me", idle: 40, drain: 50 },
      { route: "search", idle: 40, drain: 59 },
      { route: "quote", idle: 30, drain: 44 },
    ]);
    const missed = spikesClaim(withFigures("backlog-recovery", [p99("me", 40, 494), p99("search", 40, 45)]));
    expect(missed.row.verdict).toBe("missed");
    expect(missed.row.measured).toContain("me 40 ms → 494 ms");
    expect(spikesClaim(null).row.verdict).toBe("not measured");
  });

  it("independence: every other consumer's keep-up and lag check, not email's", () => {
    const check = (name: string, held: boolean) => ({ name, expected: "", actual: "0 after 12.0 s", held });
    const figures: PhaseFigure[] = [
      { metric: "email throughput", unit: "acks/s", steady: 3, during: 0, after: 5 },
      { metric: "order-projection throughput", unit: "acks/s", steady: 8, during: 8.3, after: 8 },
    ];
    const held = independenceClaim(
      withFigures("consumer-outage", figures, [
        check("order-projection keeps up during the fault", true),
        check("order-projection lag during the fault", true),
        check("emails catch up after the fault clears", true),
      ]),
    );
    expect(held.row.verdict).toBe("met");
    expect(held.row.measured).toContain("2/2 keep-up and lag checks held across 1 consumers");
    expect(held.consumers).toEqual([{ consumer: "order-projection", steady: 8, during: 8.3 }]);
    const missed = independenceClaim(
      withFigures("consumer-outage", figures, [
        check("order-projection keeps up during the fault", false),
        check("order-projection lag during the fault", true),
      ]),
    );
    expect(missed.row.verdict).toBe("missed");
  });
});

describe("what a step owns, to tell whether it wrote", () => {
  const doc = [
    "# Benchmarks",
    "",
    "<!-- run:start -->\n\n## This run\n\n<!-- run:end -->",
    "",
    "Generated by `npm run bench` on 2026-12-05T10:00:00Z.",
    "",
    "<!-- chain:start -->\n\n## Chain\n\nA\n\n<!-- chain:end -->",
  ].join("\n");
  const chain = STEPS.find((s) => s.name === "chain")!;
  const http = STEPS.find((s) => s.name === "http")!;

  it("is a harness's marked section, or the HTTP head before the first section without the run section", () => {
    expect(ownedText(doc, chain)).toContain("## Chain\n\nA");
    expect(ownedText(doc, http)).toContain("Generated by");
    expect(ownedText(doc, http)).not.toContain("This run");
    expect(ownedText(doc, http)).not.toContain("Chain");
    expect(ownedText("# Benchmarks\n", chain)).toBeNull();
  });
});

describe("the claims, from the harnesses' results", () => {
  const path = (p99Ms: number, failed = 0) =>
    ({ p99Ms, failedTotal: failed, timeoutsTotal: 0, requestsTotal: 1000, heldRssMiB: 12 }) as never;
  const level = (chainP99: number, sagaP99: number, verdict: string, failed = 0) =>
    ({
      buyers: 1000,
      chain: path(chainP99),
      saga: path(sagaP99, failed),
      p99Ratio: { ratio: sagaP99 / chainP99, interval: { low: 0.01, high: 0.03 }, rounds: 3 },
      verdict,
    }) as never;

  it("chain vs saga: the goal's verdict at the most buyers, missed whenever a saga placement failed", () => {
    expect(chainClaims({ levels: [level(30_000, 600, "met")], fragility: [] })[0]?.verdict).toBe("met");
    expect(chainClaims({ levels: [level(30_000, 600, "met", 3)], fragility: [] })[0]?.verdict).toBe("missed");
    expect(chainClaims({ levels: [level(30_000, 600, "inconclusive")], fragility: [] })[0]?.verdict).toBe(
      "not measured",
    );
    expect(chainClaims(null).map((r) => r.verdict)).toEqual(["not measured", "not measured"]);
    const smoke = { levels: [level(30_000, 600, "met")], fragility: [], config: { rounds: 1 } };
    expect(chainClaims(smoke).map((r) => r.verdict)).toEqual(["not measured", "not measured"]);
  });

  it("cost: analytics events against the minimum, with the harness's verdict", () => {
    const summary = (verdict: string | null) =>
      ({
        workload: "analytics events",
        perMillion: 1.41,
        minimumPerMillion: 1.2,
        ratio: { ratio: 1.175, interval: { low: 1.15, high: 1.2 }, rounds: 3 },
        verdict,
      }) as never;
    const met = costClaim({ summaries: [summary("met")] });
    expect(met.verdict).toBe("met");
    expect(met.measured).toBe("$1.41 vs $1.20 per 1M (1.18× [1.150, 1.200])");
    expect(costClaim({ summaries: [summary(null)] }).verdict).toBe("not measured");
    expect(costClaim(null).verdict).toBe("not measured");
  });

  it("status: each flow's p50 to the 202, the first event and done", () => {
    const d = (p50: number) => ({ count: 20, p50, p99: p50 * 2, max: p50 * 3, mean: p50 });
    const row = statusClaim({
      summaries: [{ flow: "checkout", accepted: d(36), firstEvent: d(67), done: d(1194) }],
    });
    expect(row.measured).toBe("checkout 36 ms / 67 ms / 1194 ms");
    expect(row.verdict).toBe("shown");
  });
});

describe("the run section", () => {
  const outcome = (name: string, written: boolean) => ({
    step: STEPS.find((s) => s.name === name)!,
    code: written ? 0 : 1,
    written,
    seconds: 90,
    load1m: 0.3,
  });

  it("claims every section only for a whole run, and marks a section it did not write as older", () => {
    const partial = runSection(
      "abc1234",
      new Date(0),
      [outcome("status", true), outcome("checkout", false)],
      false,
    );
    expect(partial).toContain(
      "The sections in the table were measured by `npm run bench:all` at commit `abc1234`",
    );
    expect(partial).toContain("**A partial run**");
    expect(partial).toContain("**not written (exit 1)**: the section below is older");
    const whole = runSection("abc1234", new Date(0), [outcome("status", true)], true);
    expect(whole).toContain("Every section below was measured");
  });
});
