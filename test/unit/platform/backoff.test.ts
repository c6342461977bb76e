import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_SAGA_POLICY } from "../../../src/flows/checkout";
import { backoffCeiling, backoffDelay } from "../../../src/platform/backoff";
import { QUEUE_RETRY_BACKOFF } from "../../../src/platform/events/backoff";

const saga = { base: DEFAULT_SAGA_POLICY.baseBackoffMs, cap: DEFAULT_SAGA_POLICY.maxBackoffMs };
const backoffs = fc.record({
  base: fc.integer({ min: 1, max: 10_000 }),
  cap: fc.integer({ min: 1, max: 10 ** 7 }),
});

describe("exponential backoff", () => {
  it("doubles per attempt from the base, up to the cap", () => {
    expect([1, 2, 3, 4].map((n) => backoffCeiling(n, saga))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffCeiling(40, saga)).toBe(60_000);
    expect(backoffCeiling(Number.POSITIVE_INFINITY, saga)).toBe(60_000);
    // The queue's: 2 s doubling to an hour; the order saga's D1 retries: 500 ms doubling to a minute.
    expect([1, 2, 12, 13].map((n) => backoffCeiling(n, QUEUE_RETRY_BACKOFF))).toEqual([2, 4, 3600, 3600]);
    expect([1, 2, 7, 8].map((n) => backoffCeiling(n, saga))).toEqual([500, 1000, 32_000, 60_000]);
  });

  it("jitters between half the ceiling and the ceiling, with the jitter it is given", () => {
    expect(backoffDelay(1, saga, () => 0)).toBe(250);
    expect(backoffDelay(3, saga, () => 0)).toBe(1000);
    expect(backoffDelay(3, saga, () => 0.9999)).toBe(2000);
    expect(backoffDelay(40, saga, () => 0)).toBe(30_000);
    expect(backoffDelay(Number.POSITIVE_INFINITY, saga, () => 0)).toBe(30_000);
    expect(backoffDelay(1, QUEUE_RETRY_BACKOFF, () => 0)).toBe(1);
  });

  it("stays within [ceiling / 2, ceiling], at least 1, never above the cap, and never shrinks", () => {
    fc.assert(
      fc.property(
        backoffs,
        fc.integer({ min: 0, max: 200 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (b, n, r) => {
          const ceiling = backoffCeiling(n, b);
          expect(ceiling).toBeLessThanOrEqual(b.cap);
          expect(backoffCeiling(n + 1, b)).toBeGreaterThanOrEqual(ceiling);
          const delay = backoffDelay(n, b, () => r);
          expect(delay).toBeGreaterThanOrEqual(Math.max(1, Math.floor(ceiling / 2)));
          expect(delay).toBeLessThanOrEqual(Math.max(1, Math.ceil(ceiling)));
          expect(Number.isInteger(delay)).toBe(true);
        },
      ),
    );
  });
});
