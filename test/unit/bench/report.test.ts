import { describe, expect, it } from "vitest";
import { DEFAULTS } from "../../../bench/lib/config";
import type { MachineFacts } from "../../../bench/lib/machine";
import { consoleTable, loadJudgement, markdownReport, type ReportInput } from "../../../bench/lib/report";
import {
  type RoundResult,
  type ScenarioResult,
  summarise,
  type TargetRun,
  upgradeSavedResult,
} from "../../../bench/lib/results";
import { rotation } from "../../../bench/lib/targets";

const run = (requestsPerSec: number, p99Ms: number): TargetRun => ({
  requestsPerSec,
  p50Ms: 20,
  p99Ms,
  meanMs: 22,
  total: requestsPerSec * 10,
  non2xx: 0,
  errors: 0,
  timeouts: 0,
  durationSec: 10,
  cpuUsPerRequest: 1_000,
  loadAverage1m: 1.5,
});

/**
 * Six rounds whose throughput ratios have the logs -0.12, -0.16, -0.14, -0.18, -0.10, -0.14: the worked
 * example of test/unit/bench/intervals.test.ts, 0.869× [0.844, 0.896], below the 0.9× target. Their p99
 * ratios are 1.00, 1.02, 0.98, 1.01, 0.99, 1.00, far under the 1.2× target.
 */
function scenario(rounds = 6): ScenarioResult {
  const logs = [-0.12, -0.16, -0.14, -0.18, -0.1, -0.14];
  const p99 = [100, 102, 98, 101, 99, 100];
  const all: RoundResult[] = logs.slice(0, rounds).map((l, i) => ({
    round: i + 1,
    order: i % 2 === 0 ? ["crossdock", "same-sql"] : ["same-sql", "crossdock"],
    runs: { crossdock: run(1_000 * Math.exp(l), p99[i]!), "same-sql": run(1_000, 100) },
  }));
  return {
    name: "me",
    summary: "GET /v1/me",
    distinctRequests: 64,
    rounds: all,
    outsideLoad: [0.1, 0.2, 0, 0.05, 0.3, 0.1, 0.15].slice(0, rounds + 1),
  };
}

/**
 * The same rounds with a floor that is 1.25× the same-SQL worker's throughput: crossdock ÷ floor is then
 * 0.869 / 1.25 = 0.695× [0.675, 0.716], below a 0.8× target.
 */
function withFloor(): ScenarioResult {
  const base = scenario();
  return {
    ...base,
    name: "search",
    floor: { target: { bound: "at least", value: 0.8 }, why: "search is D1-bound" },
    rounds: base.rounds.map((r, i) => ({
      ...r,
      order: rotation(["crossdock", "same-sql", "floor"] as const, i + 1),
      runs: { ...r.runs, floor: run(1_250, 90) },
    })),
  };
}

const machine: MachineFacts = {
  date: "2026-12-01T10:00:00.000Z",
  nproc: 2,
  cpuModel: "AMD EPYC",
  memory: "Mem: 23",
  os: "Linux x64",
  node: "v22.23.3",
  workerd: "1",
  miniflare: "5",
  wrangler: "4",
  autocannon: "9",
  gitCommit: "abc1234",
  loadAverage: [0.2, 0.3, 0.4],
};

function input(over: Partial<ReportInput> = {}, maxLoad = 1, allowLoad = false): ReportInput {
  const { scenarios: _all, ...config } = { ...DEFAULTS, scenarios: null };
  return {
    config: { ...config, scenarios: null, loadGuard: { maxLoad, allowLoad } },
    machine,
    results: [scenario()],
    catalogSize: null,
    logCounts: {},
    outsideLoadAtStart: 0.05,
    ...over,
  };
}

describe("summarise", () => {
  it("judges each targeted ratio by its interval: throughput missed, p99 met", () => {
    const s = summarise(scenario());
    expect(s.ratios.throughput.ratio).toBeCloseTo(0.869358, 5);
    expect(s.ratios.throughput.interval?.high).toBeCloseTo(0.89555, 5);
    expect(s.ratios.throughput.verdict).toBe("missed");
    expect(s.ratios.p99.verdict).toBe("met");
    expect(s.ratios.p99.interval?.high).toBeLessThan(1.05);
    expect(s.ratios.cpu).toMatchObject({ ratio: 1, interval: { low: 1, high: 1 } });
  });

  it("with one round there is no interval, so every verdict is inconclusive", () => {
    const s = summarise(scenario(1));
    expect(s.ratios.throughput).toMatchObject({ interval: null, verdict: "inconclusive" });
    expect(s.ratios.p99).toMatchObject({ interval: null, verdict: "inconclusive" });
  });

  it("on a busy machine caps every verdict at inconclusive", () => {
    const s = summarise(scenario(), { busy: true });
    expect(s.ratios.throughput.verdict).toBe("inconclusive");
    expect(s.ratios.p99.verdict).toBe("inconclusive");
  });
});

describe("markdownReport", () => {
  it("shows each ratio with its interval, the target and the verdict, and the outside load per round", () => {
    const md = markdownReport(input());
    expect(md).toMatch(
      /\| me +\| +869 \| +1,000 \| +– \| 0\.869× \[0\.844, 0\.896\] \*\*missed\*\* +\| no floor +\|/,
    );
    expect(md).toContain("1.000× [0.985, 1.015] met");
    expect(md).toMatch(
      /\| throughput \(req\/s\) +\| +869 \| +1,000 \| +– \| +0\.869× \[0\.844, 0\.896\] \| ≥ 0\.9× \| \*\*missed\*\* \| +– +\|/,
    );
    expect(md).toMatch(/\| latency p99 +\|.*\| ≤ 1\.2× +\| met +\|/);
    expect(md).toContain("Outside load peaked at 0.3 (threshold BENCH_MAX_LOAD=1): quiet enough to publish.");
    expect(md).toMatch(/\| +1 \| crossdock → same-sql \|.*\| +0\.1 → 0\.2 \|/);
    expect(md).toMatch(/\| +6 \| same-sql → crossdock \|.*\| +0\.1 → 0\.15 \|/);
    expect(md).toContain("| outside load at start (runnable tasks) | 0.05 ");
    expect(md).not.toContain("Busy machine");
  });

  it("on a busy machine opens the Results with the load and says no verdict stands", () => {
    const refused = markdownReport(input({}, 0.25));
    expect(refused).toContain(
      "> **Busy machine: not published.** Outside load peaked at 0.3 (threshold BENCH_MAX_LOAD=0.25)",
    );
    const allowed = markdownReport(input({}, 0.25, true));
    expect(allowed).toContain("> **Busy machine.** Outside load peaked at 0.3");
    expect(allowed).toContain("published anyway because BENCH_ALLOW_LOAD=1");
    for (const md of [refused, allowed]) {
      expect(md).toContain("0.869× [0.844, 0.896] inconclusive");
      expect(md).toContain("1.000× [0.985, 1.015] inconclusive");
      expect(md).not.toMatch(/\| (met|\*\*missed\*\*) +\|/);
    }
  });

  it("treats a run saved before the guard (no samples) as not shown to be quiet", () => {
    const { outsideLoad: _none, ...old } = scenario();
    const saved = input({ results: [old], outsideLoadAtStart: undefined });
    expect(loadJudgement(saved)).toMatchObject({ peak: null, publish: false });
    const md = markdownReport(saved);
    expect(md).toContain("Outside load was not measured");
    expect(md).toContain("| outside load at start (runnable tasks) | not measured ");
    expect(md).toMatch(/\| +1 \| crossdock → same-sql \|.*\| +n\/a → n\/a \|/);
  });

  it("says what a full run costs with the defaults, with a floor (3 workers) and without (2)", () => {
    // 3 × 3 s + 12 × 3 × 10 s = 369 s, + 13 samples × 2.5 s = 401.5 s ≈ 6.7 min; 246 s + 32.5 s ≈ 4.6 min.
    expect(markdownReport(input())).toContain(
      "A full run measures a scenario with a floor for 369 s (3 × 3 s of warm-up, then 12 rounds × 3 workers × 10 s),\none without for 246 s, and samples the outside load 13 times per scenario (2.5 s each): about\n6.7 and 4.6 minutes",
    );
  });

  it("reports crossdock ÷ floor beside crossdock ÷ same SQL, with the scenario's own target and reason", () => {
    const md = markdownReport(input({ results: [withFloor()] }));
    expect(md).toMatch(
      /\| search +\| +869 \| +1,000 \| +1,250 \| 0\.869× \[0\.844, 0\.896\] \*\*missed\*\* +\| 0\.695× \[0\.675, 0\.716\] ≥ 0\.8× \*\*missed\*\* +\|/,
    );
    expect(md).toContain("Target against the floor: throughput ≥ 0.8×, because search is D1-bound.");
    expect(md).toMatch(/\| +2 \| same-sql → floor → crossdock \|.*\| +0\.682× \|/);
  });
});

describe("summarise against the floor", () => {
  it("judges crossdock ÷ floor by the scenario's target", () => {
    const f = summarise(withFloor()).floor;
    expect(f?.throughput.ratio).toBeCloseTo(0.869358 / 1.25, 5);
    expect(f?.throughput).toMatchObject({ target: { value: 0.8 }, verdict: "missed" });
    expect(f?.p99.ratio).toBeCloseTo(100 / 90, 1);
  });

  it("has no floor ratio for a scenario without one, or whose floor missed a round", () => {
    expect(summarise(scenario()).floor).toBeNull();
    const partial = withFloor();
    delete partial.rounds[3]!.runs.floor;
    expect(summarise(partial).floor).toBeNull();
    expect(summarise(partial).median.floor).toBeNull();
  });
});

describe("rotation", () => {
  it("puts each target in each position once per cycle", () => {
    const t = ["crossdock", "same-sql", "floor"] as const;
    expect([1, 2, 3, 4].map((r) => rotation(t, r).join(" "))).toEqual([
      "crossdock same-sql floor",
      "same-sql floor crossdock",
      "floor crossdock same-sql",
      "crossdock same-sql floor",
    ]);
    expect(rotation(["crossdock", "same-sql"], 2)).toEqual(["same-sql", "crossdock"]);
  });
});

describe("upgradeSavedResult", () => {
  it("reads a run saved with the old 'bare' name as same-sql", () => {
    const old = scenario();
    const saved = {
      ...old,
      rounds: old.rounds.map(({ runs, order, ...r }) => ({
        ...r,
        order: order.map((t) => (t === "same-sql" ? "bare" : t)),
        runs: { crossdock: runs.crossdock, bare: runs["same-sql"] },
      })),
    } as unknown as ScenarioResult;
    const upgraded = upgradeSavedResult(saved);
    expect(upgraded.rounds[1]?.order).toEqual(["same-sql", "crossdock"]);
    expect(summarise(upgraded).ratios.throughput.ratio).toBeCloseTo(0.869358, 5);
  });
});

describe("consoleTable", () => {
  it("prints the intervals and verdict words, capped when busy", () => {
    expect(consoleTable([scenario()], false)).toMatch(
      /0\.869× \[0\.844, 0\.896\] \| missed +\| no floor +\|.*1\.000× \[0\.985, 1\.015\] \| met/,
    );
    expect(consoleTable([scenario()], true)).toMatch(/\| inconclusive +\|.*\| inconclusive +\|$/m);
  });
});
