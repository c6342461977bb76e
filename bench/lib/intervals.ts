/**
 * A 95% confidence interval for a crossdock ÷ baseline ratio from interleaved rounds, and the verdict a
 * target gets from it.
 *
 * Each round measures both workers back to back, so it gives one paired ratio in which the machine's
 * drift between rounds largely cancels. The interval is Student's t on the logarithms of those ratios,
 * exponentiated back:
 * - logarithms, because a ratio is multiplicative: 0.5× and 2× are equally far from 1×, the log of a
 *   ratio of two noisy rates is closer to normal than the ratio itself, and the bounds come back
 *   positive and lopsided the way a ratio's should be;
 * - Student's t, because with a handful of rounds the spread is estimated from the same few samples,
 *   and t widens the interval to pay for that (2.571 for six rounds where the normal law says 1.960).
 * A bootstrap was not used: six rounds have only 462 distinct resamples, and percentile bootstrap
 * intervals are too narrow on samples that small — the wrong way round for a guard against noise.
 */

export interface RatioEstimate {
  /** The geometric mean of the per-round ratios: the centre of the interval (on the log scale). */
  ratio: number;
  /** The 95% interval, or null when there is none: fewer than two rounds, or a ratio that is not finite. */
  interval: { low: number; high: number } | null;
  /** Per-round ratios it came from. */
  rounds: number;
}

/** A target on a ratio: crossdock's throughput is "at least" 0.9× the same-SQL worker's, its p99 "at most" 1.2×. */
export interface RatioTarget {
  readonly bound: "at least" | "at most";
  readonly value: number;
}

/**
 * `met` only when the whole interval clears the target, `missed` when the whole interval is on the wrong
 * side, `inconclusive` when the interval straddles it (the noise is larger than the effect) or there is
 * no interval.
 */
export type Verdict = "met" | "missed" | "inconclusive";

/** Two-sided 95% critical values of Student's t for 1 to 30 degrees of freedom (scipy's t.ppf(0.975, df)). */
const T_975 = [
  12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157, 2.228139,
  2.200985, 2.178813, 2.160369, 2.144787, 2.13145, 2.119905, 2.109816, 2.100922, 2.093024, 2.085963, 2.079614,
  2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.04523, 2.042272,
] as const;
const Z_975 = 1.959963984540054;

/**
 * The 0.975 quantile of Student's t with `df` degrees of freedom: from the table up to 30, beyond it the
 * Cornish-Fisher expansion around the normal quantile, which is within 1e-5 of the exact value there.
 *
 * @example tCritical95(5) // 2.570582: six rounds
 */
export function tCritical95(df: number): number {
  if (!Number.isInteger(df) || df < 1) return Number.NaN;
  const tabled = T_975[df - 1];
  if (tabled !== undefined) return tabled;
  const z = Z_975;
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3;
}

/**
 * The ratio and its 95% interval from per-round paired ratios (crossdock ÷ baseline, one per round).
 *
 * @example pairedRatioEstimate([0.84, 0.86, 0.85]) // { ratio: 0.850, interval: { low: 0.825, high: 0.875 }, rounds: 3 }
 */
export function pairedRatioEstimate(ratios: readonly number[]): RatioEstimate {
  const n = ratios.length;
  if (n === 0 || ratios.some((r) => !Number.isFinite(r) || r <= 0)) {
    return { ratio: Number.NaN, interval: null, rounds: n };
  }
  const logs = ratios.map(Math.log);
  const mean = logs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { ratio: Math.exp(mean), interval: null, rounds: n };
  const variance = logs.reduce((sum, l) => sum + (l - mean) ** 2, 0) / (n - 1);
  const half = tCritical95(n - 1) * Math.sqrt(variance / n);
  return {
    ratio: Math.exp(mean),
    interval: { low: Math.exp(mean - half), high: Math.exp(mean + half) },
    rounds: n,
  };
}

/** What the interval says about `target`; see {@link Verdict}. */
export function verdictOf(interval: RatioEstimate["interval"], target: RatioTarget): Verdict {
  if (interval === null) return "inconclusive";
  const { low, high } = interval;
  if (target.bound === "at least") {
    if (low >= target.value) return "met";
    return high < target.value ? "missed" : "inconclusive";
  }
  if (high <= target.value) return "met";
  return low > target.value ? "missed" : "inconclusive";
}

/**
 * A verdict from a run on a busy machine: nothing more conclusive than `inconclusive`. Outside load does
 * not only add noise, it shifts the ratio (it takes CPU from whichever worker needs more of it), in a
 * direction the run cannot know — so neither `met` nor `missed` can stand.
 */
export const capVerdict = (verdict: Verdict, busy: boolean): Verdict => (busy ? "inconclusive" : verdict);

/** A distribution-free interval for a median: two of the sample's own values and the confidence they give. */
export interface MedianInterval {
  low: number;
  high: number;
  /** The probability that the interval holds the true median: 1 − 2·P(Binomial(n, ½) < k). */
  coverage: number;
}

/**
 * The narrowest interval of order statistics (the k-th smallest to the k-th largest value) that holds the
 * median with at least `confidence`, whatever the distribution; null when even the smallest to the
 * largest does not reach it (fewer than six values for 95%). For timings on a shared machine, where a
 * run now and then is slowed by other work, ranks beat Student's t: one slow run moves the top rank, not
 * the bound, once there are enough values for k > 1 (twelve values give the 3rd to the 10th, 96.1%).
 *
 * @example medianInterval([5, 1, 4, 2, 3, 9, 6]) // { low: 1, high: 9, coverage: 0.984 }
 */
export function medianInterval(values: readonly number[], confidence = 0.95): MedianInterval | null {
  const n = values.length;
  // 2^-n underflows past about a thousand values; nothing here measures that many rounds.
  if (n > 1000) throw new RangeError(`medianInterval takes at most 1000 values; got ${n}`);
  if (values.some((v) => !Number.isFinite(v))) return null;
  const sorted = [...values].sort((a, b) => a - b);
  let best: MedianInterval | null = null;
  let pmf = 2 ** -n; // P(B = 0)
  let below = 0; // P(B < k)
  for (let k = 1; 2 * k <= n + 1; k++) {
    below += pmf;
    pmf *= (n - (k - 1)) / k;
    const coverage = 1 - 2 * below;
    if (coverage < confidence) break;
    best = { low: sorted[k - 1]!, high: sorted[n - k]!, coverage };
  }
  return best;
}
