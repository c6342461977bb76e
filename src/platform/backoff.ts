/**
 * Exponential backoff: the one computation behind every retry delay (queue messages, the reconciler's
 * quiet periods and its wait for a retried message, saga steps, the order saga's D1 writes). Pure: the
 * jitter source is passed in.
 */

/** Delays in any one unit (seconds or milliseconds); results come in the same unit. */
export interface Backoff {
  /** The longest wait before the first retry; each later one may wait twice as long as the last. */
  base: number;
  /** No wait is ever longer. */
  cap: number;
}

/**
 * The longest wait before retry number `attempt` (1 for the first): `base · 2^(attempt − 1)`, at most
 * `cap`. An `attempt` of `Infinity` is the cap itself.
 *
 * @example
 * backoffCeiling(3, { base: 500, cap: 60_000 }); // 2000
 */
export function backoffCeiling(attempt: number, { base, cap }: Backoff): number {
  return Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
}

/**
 * The wait before retry number `attempt`, with "equal jitter": half the ceiling fixed, half from
 * `random` (uniform in [0, 1)), so work that failed together does not come back at the same instant.
 * Never less than 1.
 *
 * @example
 * backoffDelay(1, { base: 2, cap: 3600 }, Math.random); // 1 or 2 (seconds)
 * backoffDelay(3, { base: 500, cap: 60_000 }, () => 0); // 1000 (ms)
 */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number): number {
  const ceiling = backoffCeiling(attempt, backoff);
  return Math.max(1, Math.round(ceiling / 2 + random() * (ceiling / 2)));
}
