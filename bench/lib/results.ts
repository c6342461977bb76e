import {
  capVerdict,
  pairedRatioEstimate,
  type RatioEstimate,
  type RatioTarget,
  type Verdict,
  verdictOf,
} from "./intervals";
import type { LoadResult } from "./load";
import type { Target } from "./runtime";
import { median, ratio } from "./stats";

/** The targets: crossdock keeps at least 0.9× the baseline's throughput and at most 1.2× its p99. */
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
  /** Which worker ran first this round: the order alternates so drift on the machine hits both. */
  order: readonly Target[];
  runs: Record<Target, TargetRun>;
}

export interface ScenarioResult {
  name: string;
  summary: string;
  distinctRequests: number;
  rounds: RoundResult[];
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
  median: Record<Target, TargetSummary>;
  /**
   * crossdock ÷ bare from each round's own pair (both runs adjacent in time, so drift between rounds
   * cancels): the geometric mean of the per-round ratios and its 95% interval (bench/lib/intervals.ts).
   */
  ratios: { throughput: JudgedRatio; p50: RatioEstimate; p99: JudgedRatio; cpu: RatioEstimate };
  /** Every measured request answered 2xx, without socket errors or timeouts. */
  clean: boolean;
}

const isClean = (run: LoadResult) => run.non2xx === 0 && run.errors === 0 && run.timeouts === 0;

function summariseTarget(rounds: RoundResult[], target: Target): TargetSummary {
  const runs = rounds.map((r) => r.runs[target]);
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
  const paired = (pick: (run: TargetRun) => number | null) =>
    pairedRatioEstimate(
      result.rounds.map((r) => ratio(pick(r.runs.crossdock) ?? Number.NaN, pick(r.runs.bare) ?? Number.NaN)),
    );
  const judged = (estimate: RatioEstimate, target: RatioTarget): JudgedRatio => ({
    ...estimate,
    target,
    verdict: capVerdict(verdictOf(estimate.interval, target), busy),
  });
  return {
    median: {
      crossdock: summariseTarget(result.rounds, "crossdock"),
      bare: summariseTarget(result.rounds, "bare"),
    },
    ratios: {
      throughput: judged(
        paired((r) => r.requestsPerSec),
        RATIO_TARGETS.throughput,
      ),
      p50: paired((r) => r.p50Ms),
      p99: judged(
        paired((r) => r.p99Ms),
        RATIO_TARGETS.p99,
      ),
      cpu: paired((r) => r.cpuUsPerRequest),
    },
    clean: result.rounds.every((r) => isClean(r.runs.crossdock) && isClean(r.runs.bare)),
  };
}
