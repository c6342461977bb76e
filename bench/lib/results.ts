import {
  capVerdict,
  pairedRatioEstimate,
  type RatioEstimate,
  type RatioTarget,
  type Verdict,
  verdictOf,
} from "./intervals";
import type { LoadResult } from "./load";
import { median, ratio } from "./stats";
import type { Target } from "./targets";

/**
 * The targets against the same-SQL baseline: crossdock keeps at least 0.9× its throughput and at
 * most 1.2× its p99. Targets against the floor are per scenario (`Scenario.floor`).
 */
export const RATIO_TARGETS = {
  throughput: { bound: "at least", value: 0.9 },
  p99: { bound: "at most", value: 1.2 },
} as const satisfies Record<string, RatioTarget>;

export interface TargetRun extends LoadResult {
  /** workerd CPU per completed request during the run, in microseconds; null when unmeasurable. */
  cpuUsPerRequest: number | null;
  /** The machine's 1-minute load average when the run ended: mostly the benchmark's own load. */
  loadAverage1m: number;
}

export interface RoundResult {
  round: number;
  /** The order the workers ran in this round: it rotates so drift on the machine hits each alike. */
  order: readonly Target[];
  /** crossdock and same-sql always; floor when the scenario has one. */
  runs: { crossdock: TargetRun; "same-sql": TargetRun; floor?: TargetRun };
}

export interface ScenarioResult {
  name: string;
  summary: string;
  distinctRequests: number;
  rounds: RoundResult[];
  /** The scenario's target against the floor, when the floor was measured (see `Scenario.floor`). */
  floor?: { target: RatioTarget; why: string };
  /**
   * Outside load (bench/lib/outside-load.ts) before the first round and after each round, so round k
   * sits between samples k-1 and k. Absent from runs saved before the load guard existed.
   */
  outsideLoad?: number[];
}

export interface TargetSummary {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerRequest: number | null;
}

/** A ratio with a target: its estimate and interval, and the verdict they give. */
export interface JudgedRatio extends RatioEstimate {
  target: RatioTarget;
  verdict: Verdict;
}

export interface ScenarioSummary {
  median: { crossdock: TargetSummary; "same-sql": TargetSummary; floor: TargetSummary | null };
  /**
   * crossdock ÷ same SQL from each round's own runs (adjacent in time, so drift between rounds cancels):
   * the geometric mean of the per-round ratios and its 95% interval (bench/lib/intervals.ts).
   */
  ratios: { throughput: JudgedRatio; p50: RatioEstimate; p99: JudgedRatio; cpu: RatioEstimate };
  /** crossdock ÷ floor, likewise; null when the scenario has no floor. */
  floor: { throughput: JudgedRatio; p99: RatioEstimate; cpu: RatioEstimate } | null;
  /** Every measured request answered 2xx, without socket errors or timeouts. */
  clean: boolean;
}

const isClean = (run: LoadResult) => run.non2xx === 0 && run.errors === 0 && run.timeouts === 0;

function summariseTarget(runs: TargetRun[]): TargetSummary {
  const cpu = runs.map((r) => r.cpuUsPerRequest).filter((c): c is number => c !== null);
  return {
    requestsPerSec: median(runs.map((r) => r.requestsPerSec)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    cpuUsPerRequest: cpu.length === runs.length ? median(cpu) : null,
  };
}

/**
 * Medians, ratios with intervals, and verdicts of one scenario. `busy`: the run's outside load was above
 * the threshold (bench/lib/load-guard.ts), so no verdict is more than inconclusive.
 */
export function summarise(result: ScenarioResult, { busy = false } = {}): ScenarioSummary {
  const paired = (baseline: "same-sql" | "floor", pick: (run: TargetRun) => number | null) =>
    pairedRatioEstimate(
      result.rounds.map((r) => {
        const base = r.runs[baseline];
        return ratio(pick(r.runs.crossdock) ?? Number.NaN, (base && pick(base)) ?? Number.NaN);
      }),
    );
  const judged = (estimate: RatioEstimate, target: RatioTarget): JudgedRatio => ({
    ...estimate,
    target,
    verdict: capVerdict(verdictOf(estimate.interval, target), busy),
  });
  const floorRuns = result.rounds.flatMap((r) => (r.runs.floor ? [r.runs.floor] : []));
  const measuredFloor = result.floor !== undefined && floorRuns.length === result.rounds.length;
  return {
    median: {
      crossdock: summariseTarget(result.rounds.map((r) => r.runs.crossdock)),
      "same-sql": summariseTarget(result.rounds.map((r) => r.runs["same-sql"])),
      floor: measuredFloor ? summariseTarget(floorRuns) : null,
    },
    ratios: {
      throughput: judged(
        paired("same-sql", (r) => r.requestsPerSec),
        RATIO_TARGETS.throughput,
      ),
      p50: paired("same-sql", (r) => r.p50Ms),
      p99: judged(
        paired("same-sql", (r) => r.p99Ms),
        RATIO_TARGETS.p99,
      ),
      cpu: paired("same-sql", (r) => r.cpuUsPerRequest),
    },
    floor:
      measuredFloor && result.floor
        ? {
            throughput: judged(
              paired("floor", (r) => r.requestsPerSec),
              result.floor.target,
            ),
            p99: paired("floor", (r) => r.p99Ms),
            cpu: paired("floor", (r) => r.cpuUsPerRequest),
          }
        : null,
    clean: result.rounds.every((r) => Object.values(r.runs).every(isClean)),
  };
}

/**
 * A run saved before the baseline was renamed called it "bare" and had no floor: read it as same-sql,
 * so `tsx bench/render.ts` still renders it.
 */
export function upgradeSavedResult(result: ScenarioResult): ScenarioResult {
  return {
    ...result,
    rounds: result.rounds.map((r) => {
      const runs = r.runs as RoundResult["runs"] & { bare?: TargetRun };
      if (runs["same-sql"] !== undefined || runs.bare === undefined) return r;
      const { bare, ...rest } = runs;
      const rename = (t: string) => (t === "bare" ? "same-sql" : t) as Target;
      return { ...r, order: r.order.map(rename), runs: { ...rest, "same-sql": bare } };
    }),
  };
}
