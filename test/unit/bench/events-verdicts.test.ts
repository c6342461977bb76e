import { describe, expect, it } from "vitest";
import type { DrainRun } from "../../../bench/events/drain";
import { type EventsResults, summariseEvents } from "../../../bench/events/summary";
import { distribution } from "../../../bench/lib/stats";

const run = (eventsPerSec: number): DrainRun => ({
  messages: 20_000,
  timedMessages: 20_000,
  eventsPerSec,
  drainMs: (20_000 / eventsPerSec) * 1_000,
  loadMs: 1_000,
  cpuUsPerEvent: 100,
  loadAverage1m: 1,
});

/** A relay phase of two sign-ups: each event's commit → published, and its request arrival → published. */
const relayOf = (commitToPublished: number[], arrivalToPublished = [150, 160]) => ({
  signups: 2,
  relayLogMs: distribution(commitToPublished),
  outboxLatencyMs: distribution(arrivalToPublished),
});

/** One drain round per [crossdock, bare] pair of rates. */
function results(pairs: [crossdock: number, bare: number][], relay = relayOf([20, 30])): EventsResults {
  return {
    relay,
    rounds: pairs.map(([crossdock, bare], i) => ({
      round: i + 1,
      order: ["crossdock", "bare"],
      runs: { crossdock: run(crossdock), bare: run(bare) },
    })),
  } as unknown as EventsResults;
}

describe("events drain ratio: a verdict from the rounds' interval", () => {
  it("is met only when the whole interval clears 0.8×", () => {
    const s = summariseEvents(
      results([
        [4_300, 5_000],
        [4_400, 5_100],
        [4_250, 4_950],
        [4_350, 5_000],
        [4_300, 5_050],
      ]),
    );
    expect(s.drainEstimate.interval!.low).toBeGreaterThan(0.8);
    expect(s.drainVerdict).toBe("met");
  });

  it("is inconclusive when the rounds straddle 0.8×, even with the medians' ratio above it", () => {
    const s = summariseEvents(
      results([
        [4_088, 5_046],
        [3_600, 5_000],
        [4_700, 5_000],
      ]),
    );
    expect(s.drainRatio).toBeGreaterThan(0.8);
    expect(s.drainEstimate.interval!.low).toBeLessThan(0.8);
    expect(s.drainVerdict).toBe("inconclusive");
  });

  it("is missed when the whole interval is below 0.8×, and inconclusive from one round", () => {
    expect(
      summariseEvents(
        results([
          [3_000, 5_000],
          [3_100, 5_000],
          [2_950, 5_000],
        ]),
      ).drainVerdict,
    ).toBe("missed");
    expect(summariseEvents(results([[4_500, 5_000]])).drainVerdict).toBe("inconclusive");
  });
});

describe("relay latency: issue 3's commit → queue, from the relay's own lines", () => {
  const rounds: [number, number][] = [[4_300, 5_000]];

  it("is met on the commit → published p99, whatever the request spent before its commit", () => {
    expect(summariseEvents(results(rounds, relayOf([20, 30], [400, 500]))).met.relayP99).toBe(true);
  });

  it("is missed when commit → published reaches 100 ms", () => {
    expect(summariseEvents(results(rounds, relayOf([20, 100]))).met.relayP99).toBe(false);
  });

  it("is missed when an event has no relay line, rather than judged on the ones that do", () => {
    expect(summariseEvents(results(rounds, relayOf([20]))).met.relayP99).toBe(false);
  });
});
