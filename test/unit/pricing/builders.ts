import fc from "fast-check";
import type { CatalogProduct } from "../../../src/flows/pricing/cart";
import { PricingError, type PricingProblem } from "../../../src/flows/pricing/errors";
import type { Promotion } from "../../../src/flows/pricing/promotions";
import { SUPPORTED_COUNTRIES } from "../../../src/flows/pricing/tax";

/** A fixed clock: domain code never reads time, so tests pick one. */
export const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
export const DAY = 86_400_000;

export function product(overrides: Partial<CatalogProduct> & { id: string }): CatalogProduct {
  return {
    title: `Product ${overrides.id}`,
    category: "kitchen",
    priceMinor: 1000,
    currency: "USD",
    stock: 100,
    ...overrides,
  };
}

export function promotion(overrides: Partial<Promotion> & { code: string }): Promotion {
  return {
    kind: "percentage",
    value: 1000,
    minSubtotalMinor: 0,
    category: null,
    startsAt: NOW - DAY,
    expiresAt: null,
    ...overrides,
  };
}

/** Runs `fn` and returns the PricingError's problem, failing the test if it does not throw one. */
export function problemOf(fn: () => unknown): PricingProblem {
  try {
    fn();
  } catch (e) {
    if (e instanceof PricingError) return e.problem;
    throw e;
  }
  throw new Error("expected a PricingError, but pricing succeeded");
}

const CATEGORIES = ["kitchen", "books", "furniture", "toys"] as const;

/** 1–8 distinct products with stock for any generated quantity, and a quantity for each. */
export const cartArb = fc
  .uniqueArray(
    fc.record({
      id: fc.stringMatching(/^prd_[a-z0-9]{1,6}$/),
      category: fc.constantFrom(...CATEGORIES),
      // Mostly a few round prices and small quantities, so lines often tie and the allocation
      // tie-break is exercised; sometimes anything, for the large amounts.
      priceMinor: fc.oneof(fc.constantFrom(0, 1, 333, 1000), fc.integer({ min: 0, max: 500_000 })),
      quantity: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 1000 })),
    }),
    { minLength: 1, maxLength: 8, selector: (p) => p.id },
  )
  .map((rows) => ({
    products: rows.map((r) =>
      product({ id: r.id, category: r.category, priceMinor: r.priceMinor, stock: 1000 }),
    ),
    items: rows.map((r) => ({ productId: r.id, quantity: r.quantity })),
  }));

/** Any active promotion shape, including values beyond the cart (to exercise the caps). */
export const promotionArb = fc.record({
  code: fc.constant("PROMO"),
  kind: fc.constantFrom("percentage" as const, "fixed" as const),
  value: fc.integer({ min: 0, max: 20_000_000 }),
  minSubtotalMinor: fc.constant(0),
  category: fc.option(fc.constantFrom(...CATEGORIES), { nil: null }),
  startsAt: fc.constant(NOW - DAY),
  expiresAt: fc.constant(null),
});

export const countryArb = fc.constantFrom(...SUPPORTED_COUNTRIES);
