import type { LoadResult } from "./load";
import type { Target } from "./runtime";
import { median, ratio } from "./stats";

/** The targets: crossdock keeps at least 0.9× the baseline's throughput and at most 1.2× its p99. */
export const RATIO_TARGETS = { throughputRatioMin: 0.9, p99RatioMax: 1.2 } as const;

export interface TargetRun extends LoadResult {
  /** workerd CPU per completed request during the run, in microseconds; null when unmeasurable. */
  cpuUsPerRequest: number | null;
  /** The machine's 1-minute load average when the run ended: other work shows here. */
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
}

export interface TargetSummary {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerRequest: number | null;
}

export interface ScenarioSummary {
  median: Record<Target, TargetSummary>;
  /** crossdock ÷ bare, from the medians over rounds. */
  ratios: { throughput: number; p50: number; p99: number };
  /**
   * The median of each round's own crossdock ÷ bare ratio. Both runs of a round are adjacent in time, so
   * this resists drift in the machine's load better; when it and `ratios` disagree, the run was noisy.
   */
  pairedRatios: { throughput: number; p99: number };
  met: { throughput: boolean; p99: boolean };
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

export function summarise(result: ScenarioResult): ScenarioSummary {
  const crossdock = summariseTarget(result.rounds, "crossdock");
  const bare = summariseTarget(result.rounds, "bare");
  const ratios = {
    throughput: ratio(crossdock.requestsPerSec, bare.requestsPerSec),
    p50: ratio(crossdock.p50Ms, bare.p50Ms),
    p99: ratio(crossdock.p99Ms, bare.p99Ms),
  };
  const paired = (pick: (run: TargetRun) => number) =>
    median(result.rounds.map((r) => ratio(pick(r.runs.crossdock), pick(r.runs.bare))));
  const clean = result.rounds.every((r) => isClean(r.runs.crossdock) && isClean(r.runs.bare));
  return {
    median: { crossdock, bare },
    ratios,
    pairedRatios: { throughput: paired((r) => r.requestsPerSec), p99: paired((r) => r.p99Ms) },
    met: {
      throughput: ratios.throughput >= RATIO_TARGETS.throughputRatioMin,
      p99: ratios.p99 <= RATIO_TARGETS.p99RatioMax,
    },
    clean,
  };
}
