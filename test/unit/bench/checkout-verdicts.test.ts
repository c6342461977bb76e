import { describe, expect, it } from "vitest";
import { type CheckoutReport, type Round, TARGETS, verdicts } from "../../../bench/checkout/report";
import { distribution } from "../../../bench/lib/stats";

/** A latency distribution whose p99 is `p99` (one value, so every percentile is it). */
const at = (p99: number) => distribution([p99]);

/** A round placed while the sagas run, with a paused phase when `paused` gives its p99s and rates. */
function round(paused?: { p99: number; crossdock: number; floor: number }): Round {
  return {
    placementWallMs: 1_000,
    terminalWallMs: 2_000,
    pairs: [{ crossdock: 50, floor: 100 }],
    placement: { crossdock: at(2_000), floor: at(1_000) },
    ...(paused && {
      paused: {
        placement: { crossdock: at(paused.p99), floor: at(100) },
        perSecond: { crossdock: paused.crossdock, floor: paused.floor },
      },
    }),
    toTerminal: at(5_000),
    hops: [],
    floor: { wallMs: 1_000, toTerminal: at(4_000), effectMs: {}, writeMs: at(1), statuses: {} },
    checks: {},
    ok: true,
  };
}

function report(rounds: Round[], quiet = true): CheckoutReport {
  return {
    rounds,
    load: { peak: quiet ? 0.2 : 3, quiet, publish: true, summary: "" },
  } as unknown as CheckoutReport;
}

describe("checkout verdicts: the front with the background paused", () => {
  it("meets the p99 target only when every round's paused p99 is within it (the worst round decides)", () => {
    const within = verdicts(
      report([
        round({ p99: 250, crossdock: 300, floor: 400 }),
        round({ p99: 290, crossdock: 300, floor: 400 }),
      ]),
    );
    expect(within.pausedP99).toEqual({ worst: 290, verdict: "met" });

    const over = verdicts(
      report([
        round({ p99: 250, crossdock: 300, floor: 400 }),
        round({ p99: TARGETS.placementP99Ms + 1, crossdock: 300, floor: 400 }),
      ]),
    );
    expect(over.pausedP99).toEqual({ worst: TARGETS.placementP99Ms + 1, verdict: "missed" });
  });

  it("takes the paused throughput ratio per round: crossdock's placements per second ÷ the floor's", () => {
    const v = verdicts(
      report([
        round({ p99: 200, crossdock: 300, floor: 600 }),
        round({ p99: 200, crossdock: 200, floor: 400 }),
      ]),
    );
    // Both rounds are 0.5×: the geometric mean is 0.5× and, with no spread, the interval is a point.
    expect(v.pausedThroughput.ratio).toBeCloseTo(0.5, 10);
  });

  it("says inconclusive, never met, for a busy machine or for reports from before the paused phase", () => {
    expect(verdicts(report([round({ p99: 100, crossdock: 1, floor: 1 })], false)).pausedP99.verdict).toBe(
      "inconclusive",
    );
    const older = verdicts(report([round(), round()]));
    expect(older.pausedP99.verdict).toBe("inconclusive");
    expect(Number.isNaN(older.pausedP99.worst)).toBe(true);
    // The running-phase verdicts are unaffected by the missing phase.
    expect(older.placementP99).toEqual({ worst: 2_000, verdict: "missed" });
  });
});
