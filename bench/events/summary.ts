import { pairedRatioEstimate, type RatioTarget, verdictOf } from "../lib/intervals";
import type { MachineFacts } from "../lib/machine";
import { median, ratio } from "../lib/stats";
import type { EventsConfig } from "./config";
import type { DrainRun } from "./drain";
import type { LoadTarget as Target } from "./names";
import type { RelayResult } from "./relay";
import type { QueueSettings } from "./runtime";

/** The targets for the event backbone. */
export const EVENT_TARGETS = { relayP99MaxMs: 100, drainRatioMin: 0.8, drainRateMin: 2_000 } as const;
/** The drain-ratio target as a ratio target: met only when its whole interval clears it. */
export const DRAIN_RATIO_TARGET: RatioTarget = { bound: "at least", value: EVENT_TARGETS.drainRatioMin };

export interface DrainRound {
  round: number;
  /** Which consumer drained first this round: the order alternates so drift on the machine hits both. */
  order: readonly Target[];
  runs: Record<Target, DrainRun>;
}

/** Everything a run measured: written to bench/.results/events-*.json and rendered into the report. */
export interface EventsResults {
  config: EventsConfig;
  machine: MachineFacts;
  queueSettings: QueueSettings;
  relay: RelayResult;
  rounds: DrainRound[];
  /** Log lines the workers wrote during the whole run, by level. */
  logCounts: Record<string, number>;
}

export function summariseEvents({ relay, rounds }: EventsResults) {
  const med = (target: Target, pick: (r: DrainRun) => number | null) => {
    const values = rounds.map((r) => pick(r.runs[target]));
    return values.every((v): v is number => v !== null) ? median(values) : null;
  };
  const rate = {
    crossdock: med("crossdock", (r) => r.eventsPerSec)!,
    bare: med("bare", (r) => r.eventsPerSec)!,
  };
  const cpu = {
    crossdock: med("crossdock", (r) => r.cpuUsPerEvent),
    bare: med("bare", (r) => r.cpuUsPerEvent),
  };
  const drainRatio = ratio(rate.crossdock, rate.bare);
  /*
   * The verdict comes from the rounds' own ratios (both runs of a round are adjacent in time, so drift
   * on the machine largely cancels), with a 95% interval, like the HTTP harness's: a ratio of medians
   * near 0.8× on one run says nothing about which side of 0.8× the next run lands on.
   */
  const drainEstimate = pairedRatioEstimate(
    rounds.map((r) => ratio(r.runs.crossdock.eventsPerSec, r.runs.bare.eventsPerSec)),
  );
  return {
    rate,
    cpu,
    drainRatio,
    drainEstimate,
    drainVerdict: verdictOf(drainEstimate.interval, DRAIN_RATIO_TARGET),
    met: {
      // Issue 3's relay latency is commit → queue: the relay's own figure, from the commit. It counts only
      // when every sign-up's event has one (a missing line must not leave a faster subset to judge).
      relayP99: relay.relayLogMs.count >= relay.signups && relay.relayLogMs.p99 < EVENT_TARGETS.relayP99MaxMs,
      drainRate: rate.crossdock >= EVENT_TARGETS.drainRateMin,
    },
  };
}

export type EventsSummary = ReturnType<typeof summariseEvents>;
