import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocate, applyRate, formatMoney } from "../../../src/flows/pricing/money";

describe("applyRate", () => {
  it("rounds half-up on the exact product", () => {
    expect(applyRate(1999, 1000)).toBe(200); // 199.9
    expect(applyRate(5, 1000)).toBe(1); // 0.5 rounds up
    expect(applyRate(4, 1000)).toBe(0); // 0.4 rounds down
    expect(applyRate(12_345, 0)).toBe(0);
    expect(applyRate(12_345, 10_000)).toBe(12_345);
  });

  it("stays exact where a float product would not", () => {
    // (2^53 − 1) × 50% = 4_503_599_627_370_495.5, which rounds up; float arithmetic gives …495.
    expect(applyRate(Number.MAX_SAFE_INTEGER, 5000)).toBe(4_503_599_627_370_496);
  });

  it("refuses fractions and negatives", () => {
    expect(() => applyRate(10.5, 100)).toThrow(RangeError);
    expect(() => applyRate(-1, 100)).toThrow(RangeError);
  });

  it("is within half a unit of the exact value", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000 }), (a, r) => {
        expect(Math.abs(applyRate(a, r) - (a * r) / 10_000)).toBeLessThanOrEqual(0.5);
      }),
    );
  });
});

describe("allocate", () => {
  it("gives leftover units to the largest remainders, earlier index on a tie", () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(10, [0, 300, 100])).toEqual([0, 8, 2]);
    expect(allocate(0, [0, 0])).toEqual([0, 0]);
  });

  it("refuses a positive total over zero weights", () => {
    expect(() => allocate(1, [0, 0])).toThrow(RangeError);
  });

  it("sums exactly to the total, and never exceeds a weight when the total fits", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 20 }),
        fc.nat(),
        (weights, seed) => {
          const sum = weights.reduce((a, b) => a + b, 0);
          const total = sum === 0 ? 0 : seed % (sum + 1);
          const shares = allocate(total, weights);
          expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
          shares.forEach((s, i) => {
            expect(Number.isInteger(s) && s >= 0).toBe(true);
            expect(s).toBeLessThanOrEqual(weights[i]!);
          });
        },
      ),
    );
  });
});

describe("formatMoney", () => {
  it("reads minor units in each currency's own digits, and shows a dash for no amount", () => {
    expect(formatMoney(2950, "USD")).toBe("$29.50");
    expect(formatMoney(500, "JPY")).toBe("¥500");
    expect(formatMoney(1234, "EUR")).toBe("€12.34");
    expect(formatMoney(null, "USD")).toBe("—");
  });

  it("keeps each currency's format apart once built, and refuses a code that is not a currency every time", () => {
    expect([formatMoney(100, "JPY"), formatMoney(100, "USD"), formatMoney(100, "JPY")]).toEqual([
      "¥100",
      "$1.00",
      "¥100",
    ]);
    expect(() => formatMoney(100, "US")).toThrow(RangeError);
    expect(() => formatMoney(100, "US")).toThrow(RangeError);
  });
});
