import { describe, expect, it } from "vitest";
import { SUPPORTED_COUNTRIES, supportedCountry, TAX_RATES_BPS, taxFor } from "../../../src/flows/pricing/tax";
import { problemOf } from "./builders";

describe("tax by destination", () => {
  it.each([
    ["US", 10_000, 725],
    ["CA", 10_000, 500],
    ["DE", 10_000, 1900],
    ["GB", 10_000, 2000],
    ["SE", 10_000, 2500],
    ["CH", 10_000, 810],
    ["JP", 10_000, 1000],
    ["SG", 9_999, 900], // 899.91 → 900
    ["US", 1_234, 89], // 89.465 → 89
    ["US", 2_000, 145], // exactly 145
  ] as const)("given goods of %s shipping to %s, then tax is %i", (country, taxable, expected) => {
    expect(taxFor(taxable, country)).toBe(expected);
  });

  it("rounds half-up: 7.25% of 10 cents is 0.725 → 1 cent, of 6 cents 0.435 → 0", () => {
    expect(taxFor(10, "US")).toBe(1);
    expect(taxFor(6, "US")).toBe(0);
  });

  it("covers about fifteen destinations, each with a rate between 0% and 30%", () => {
    expect(SUPPORTED_COUNTRIES.length).toBeGreaterThanOrEqual(15);
    for (const rate of Object.values(TAX_RATES_BPS)) expect(rate).toBeGreaterThan(0);
    for (const rate of Object.values(TAX_RATES_BPS)) expect(rate).toBeLessThanOrEqual(3000);
  });

  it("given a country we do not deliver to, then the destination is unsupported", () => {
    expect(problemOf(() => supportedCountry("BR"))).toMatchObject({
      kind: "unsupported-destination",
      country: "BR",
    });
    // Inherited object keys are not countries.
    expect(problemOf(() => supportedCountry("constructor"))).toMatchObject({
      kind: "unsupported-destination",
    });
  });
});
