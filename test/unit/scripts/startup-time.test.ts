import { describe, expect, it } from "vitest";
import {
  CLOUDFLARE_STARTUP_LIMIT_MS,
  judgeStartup,
  STARTUP_LIMIT_MS,
  STARTUP_ROUNDS,
  startupLine,
} from "../../../scripts/startup-time/judge";

// Twelve paired differences (ms) like today's: the 3rd to the 10th of them bound the median.
const TODAY = [150, 210, 370, 280, 270, 230, 230, 230, 250, 150, 360, 170];

describe("the production bundle's startup budget", () => {
  it("passes when the interval's upper bound is at most the limit, and prints the figures on one line", () => {
    const judgement = judgeStartup(TODAY, 400);
    expect(judgement).toMatchObject({ medianMs: 230, interval: { low: 170, high: 280 }, verdict: "met" });
    expect(judgement.failure).toBeNull();
    expect(startupLine(judgement, 12, 857.6, 400)).toBe(
      "startup 230 ms workerd CPU over a hello-world worker (median of 12 paired starts, 95% interval 170–280 ms; wall clock 858 ms, not judged) (budget 400 ms, Cloudflare's limit 1000 ms)",
    );
  });

  it("passes an upper bound exactly at the limit and fails one a millisecond over", () => {
    expect(judgeStartup(TODAY, 280).failure).toBeNull();
    expect(judgeStartup(TODAY, 279)).toMatchObject({
      verdict: "inconclusive",
      failure:
        "the production bundle's startup may take up to 280 ms, over its budget of 279 ms (see scripts/startup-time.ts)",
    });
  });

  it("fails a bundle whose whole interval is over the limit", () => {
    const slow = TODAY.map((ms) => ms + 300);
    expect(judgeStartup(slow, 400).verdict).toBe("missed");
    expect(judgeStartup(slow, 400).failure).toContain("up to 580 ms");
  });

  it("is not moved by two slow rounds of a shared machine, but is by three", () => {
    const twoSlow = [...TODAY.slice(0, 10), 2000, 3000];
    expect(judgeStartup(twoSlow, 400).failure).toBeNull();
    expect(judgeStartup([...TODAY.slice(0, 9), 1000, 2000, 3000], 400).failure).toContain("up to 1000 ms");
  });

  it("fails when too few rounds give no interval, rather than pass on one lucky start", () => {
    expect(judgeStartup([100, 100, 100], 400)).toMatchObject({
      interval: null,
      verdict: "inconclusive",
      failure: "3 rounds give no 95% interval of the startup time (see scripts/startup-time.ts)",
    });
    expect(startupLine(judgeStartup([100], 400), 1, 300, 400)).toContain("95% interval no interval");
  });

  it("keeps the budget under Cloudflare's limit with room for the local proxy's error, in enough rounds", () => {
    expect(STARTUP_LIMIT_MS).toBeLessThanOrEqual(CLOUDFLARE_STARTUP_LIMIT_MS / 2);
    expect(judgeStartup(Array.from({ length: STARTUP_ROUNDS }, (_, i) => i)).interval?.high).toBeLessThan(
      STARTUP_ROUNDS - 1,
    );
  });
});
