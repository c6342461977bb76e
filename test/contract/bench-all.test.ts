import { describe, expect, it } from "vitest";
import { pickSteps, STEPS, uncleanPaths } from "../../bench/all";
import { independenceClaim, spikesClaim } from "../../bench/claims";
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
    expect(met.row.measured).toContain("(worst 1.5×)");
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
