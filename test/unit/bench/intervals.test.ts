import { describe, expect, it } from "vitest";
import {
  capVerdict,
  medianInterval,
  pairedRatioEstimate,
  type RatioTarget,
  tCritical95,
  verdictOf,
} from "../../../bench/lib/intervals";

const AT_LEAST_09: RatioTarget = { bound: "at least", value: 0.9 };
const AT_MOST_12: RatioTarget = { bound: "at most", value: 1.2 };

describe("tCritical95", () => {
  it("is Student's t 0.975 quantile: tabled up to 30 degrees of freedom", () => {
    // Any t table: df 1 → 12.706, 2 → 4.303, 5 → 2.571, 30 → 2.042.
    expect(tCritical95(1)).toBeCloseTo(12.706, 3);
    expect(tCritical95(2)).toBeCloseTo(4.303, 3);
    expect(tCritical95(5)).toBeCloseTo(2.571, 3);
    expect(tCritical95(30)).toBeCloseTo(2.042, 3);
  });

  it("follows the expansion beyond the table, joining it smoothly and tending to the normal 1.960", () => {
    // Exact values (scipy t.ppf): df 31 → 2.039513, 60 → 2.000298, 120 → 1.979930.
    expect(tCritical95(31)).toBeCloseTo(2.039513, 5);
    expect(tCritical95(60)).toBeCloseTo(2.000298, 5);
    expect(tCritical95(120)).toBeCloseTo(1.97993, 5);
    expect(tCritical95(31)).toBeLessThan(tCritical95(30));
    expect(tCritical95(100_000)).toBeCloseTo(1.95998, 4);
  });

  it("has no value for fewer than one degree of freedom", () => {
    expect(tCritical95(0)).toBeNaN();
    expect(tCritical95(2.5)).toBeNaN();
  });
});

describe("pairedRatioEstimate", () => {
  it("is Student's t on the log ratios, exponentiated back (six rounds, worked by hand)", () => {
    // Per-round log ratios -0.12, -0.16, -0.14, -0.18, -0.10, -0.14 (ratios 0.887, 0.852, 0.869,
    // 0.835, 0.905, 0.869). Mean -0.84 / 6 = -0.14. Deviations 0.02, -0.02, 0, -0.04, 0.04, 0; squares
    // sum to 0.0004 + 0.0004 + 0.0016 + 0.0016 = 0.004; s² = 0.004 / 5 = 0.0008, s = 0.028284;
    // standard error s / √6 = 0.011547; t(5) = 2.570582, so the half-width is 0.029683.
    // Ratio e^-0.14 = 0.869358; interval e^-0.169683 = 0.843933 to e^-0.110317 = 0.895550.
    const e = pairedRatioEstimate([-0.12, -0.16, -0.14, -0.18, -0.1, -0.14].map(Math.exp));
    expect(e.rounds).toBe(6);
    expect(e.ratio).toBeCloseTo(0.869358, 5);
    expect(e.interval?.low).toBeCloseTo(0.843933, 5);
    expect(e.interval?.high).toBeCloseTo(0.89555, 5);
  });

  it("is symmetric on the log scale: 0.8× and 1.25× centre on 1× (two rounds, worked by hand)", () => {
    // ln 1.25 = 0.223144 = -ln 0.8, so the mean log is 0 and the ratio 1. s² = 2 × 0.223144² / 1, so
    // s = 0.315573 and s / √2 = 0.223144; t(1) = 12.706205 gives a half-width of 2.835308: the interval
    // runs from e^-2.835308 = 0.058700 to e^2.835308 = 17.035641. Two rounds decide nothing.
    const e = pairedRatioEstimate([0.8, 1.25]);
    expect(e.ratio).toBeCloseTo(1, 10);
    expect(e.interval?.low).toBeCloseTo(0.0587, 4);
    expect(e.interval?.high).toBeCloseTo(17.0356, 3);
  });

  it("gives the published me figures of a busy machine an interval that straddles the 0.9× target", () => {
    // docs/BENCHMARKS.md (before issue 13) said 1.003× "yes" from rounds 1.029, 0.864, 1.058.
    // Logs 0.028587, -0.146183, 0.056380: mean -0.020405; squared deviations 0.002400, 0.015820,
    // 0.005896 sum to 0.024116, s² = 0.012058, s = 0.109809, s / √3 = 0.063398; × t(2) 4.302653 =
    // 0.272779. Ratio e^-0.020405 = 0.979802; interval e^-0.293184 = 0.745883 to e^0.252374 = 1.287081.
    const e = pairedRatioEstimate([1.029, 0.864, 1.058]);
    expect(e.ratio).toBeCloseTo(0.979802, 5);
    expect(e.interval?.low).toBeCloseTo(0.745883, 5);
    expect(e.interval?.high).toBeCloseTo(1.287081, 5);
    expect(verdictOf(e.interval, AT_LEAST_09)).toBe("inconclusive");
  });

  it("has no interval from one round, and none from a ratio that is not a positive number", () => {
    expect(pairedRatioEstimate([0.85])).toEqual({ ratio: 0.85, interval: null, rounds: 1 });
    expect(pairedRatioEstimate([])).toMatchObject({ interval: null, rounds: 0 });
    expect(pairedRatioEstimate([])).toHaveProperty("ratio", Number.NaN);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 0, -1]) {
      expect(pairedRatioEstimate([0.9, bad, 0.95]).interval, String(bad)).toBeNull();
    }
  });

  it("narrows as rounds agree: identical rounds give a zero-width interval at that ratio", () => {
    const e = pairedRatioEstimate([0.95, 0.95, 0.95, 0.95, 0.95]);
    expect(e.interval?.low).toBeCloseTo(0.95, 12);
    expect(e.interval?.high).toBeCloseTo(0.95, 12);
  });
});

describe("verdictOf", () => {
  const iv = (low: number, high: number) => ({ low, high });

  it("an 'at least' target: met only when the lower bound clears it, missed when the upper bound is below", () => {
    expect(verdictOf(iv(0.91, 0.95), AT_LEAST_09)).toBe("met");
    expect(verdictOf(iv(0.9, 0.95), AT_LEAST_09)).toBe("met");
    expect(verdictOf(iv(0.83, 0.87), AT_LEAST_09)).toBe("missed");
    expect(verdictOf(iv(0.85, 0.93), AT_LEAST_09)).toBe("inconclusive");
    expect(verdictOf(iv(0.85, 0.9), AT_LEAST_09)).toBe("inconclusive");
  });

  it("an 'at most' target: met only when the upper bound clears it, missed when the lower bound is above", () => {
    expect(verdictOf(iv(0.9, 1.15), AT_MOST_12)).toBe("met");
    expect(verdictOf(iv(0.9, 1.2), AT_MOST_12)).toBe("met");
    expect(verdictOf(iv(1.25, 1.4), AT_MOST_12)).toBe("missed");
    expect(verdictOf(iv(1.1, 1.3), AT_MOST_12)).toBe("inconclusive");
    expect(verdictOf(iv(1.2, 1.3), AT_MOST_12)).toBe("inconclusive");
  });

  it("no interval (one round) is inconclusive whatever the ratio", () => {
    expect(verdictOf(pairedRatioEstimate([2]).interval, AT_LEAST_09)).toBe("inconclusive");
    expect(verdictOf(null, AT_MOST_12)).toBe("inconclusive");
  });
});

describe("capVerdict", () => {
  it("on a busy machine nothing is more conclusive than inconclusive; on a quiet one the verdict stands", () => {
    expect(capVerdict("met", true)).toBe("inconclusive");
    expect(capVerdict("missed", true)).toBe("inconclusive");
    expect(capVerdict("inconclusive", true)).toBe("inconclusive");
    expect(capVerdict("met", false)).toBe("met");
    expect(capVerdict("missed", false)).toBe("missed");
  });
});

describe("medianInterval", () => {
  it("from six values on is the smallest to the largest, at 1 − 2/2^n; below six it reaches no 95%", () => {
    expect(medianInterval([3, 1, 2, 5, 4])).toBeNull();
    expect(medianInterval([6, 1, 5, 2, 4, 3])).toEqual({ low: 1, high: 6, coverage: 1 - 2 / 64 });
    expect(medianInterval([5, 1, 4, 2, 3, 9, 6])).toEqual({ low: 1, high: 9, coverage: 1 - 2 / 128 });
  });

  it("moves inwards as values are added: nine give the 2nd to the 8th, twelve the 3rd to the 10th", () => {
    const nine = medianInterval([90, 10, 20, 30, 40, 50, 60, 70, 80]);
    expect(nine).toEqual({ low: 20, high: 80, coverage: 1 - (2 * (1 + 9)) / 512 });
    const twelve = medianInterval([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(twelve?.low).toBe(3);
    expect(twelve?.high).toBe(10);
    expect(twelve?.coverage).toBeCloseTo(1 - (2 * (1 + 12 + 66)) / 4096, 12);
  });

  it("ignores how far out the slowest values lie once k > 1", () => {
    const quiet = [200, 210, 190, 205, 195, 215, 185, 200, 210, 190, 205, 195];
    const twoSlowRounds = [...quiet.slice(0, 10), 900, 1200];
    expect(medianInterval(twoSlowRounds)?.high).toBe(medianInterval([...quiet.slice(0, 10), 216, 217])?.high);
  });

  it("takes a stricter confidence by widening, and has no interval for a value that is not a number", () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    expect(medianInterval(values, 0.99)).toMatchObject({ low: 2, high: 11 });
    expect(medianInterval([1, 2, 3, 4, 5, Number.NaN])).toBeNull();
  });
});
