import type { AbortableStep, StepName } from "./steps";

/** How the saga retries and times out. One policy serves every order; tests pass their own. */
export interface SagaPolicy {
  /**
   * Attempts an abortable step gets before the order is cancelled. Steps that must succeed keep
   * retrying after this many, at `maxBackoffMs`, and report `order.saga_stalled` once.
   */
  maxAttempts: number;
  /** Delay before the second attempt; each later retry waits about twice as long, up to the cap (see `backoffDelay`). */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** How long an attempt may take before the alarm counts it as timed out. */
  stepTimeoutMs: Record<StepName, number>;
  /**
   * Abortable steps whose timeout cancels the order at once instead of being retried. A payment
   * authorization that does not answer is compensated, not left hanging; reserving and confirming are
   * writes of our own, so a timeout there (an evicted Durable Object, a slow D1) is retried.
   */
  compensateOnTimeout: readonly AbortableStep[];
}

export const DEFAULT_SAGA_POLICY: SagaPolicy = {
  maxAttempts: 5,
  baseBackoffMs: 500,
  maxBackoffMs: 60_000,
  stepTimeoutMs: {
    "reserve-inventory": 5_000,
    "authorize-payment": 10_000,
    "confirm-order": 5_000,
    "capture-payment": 30_000,
    "release-inventory": 5_000,
    "void-authorization": 15_000,
    "refund-payment": 30_000,
    "restock-inventory": 5_000,
  },
  compensateOnTimeout: ["authorize-payment"],
};
