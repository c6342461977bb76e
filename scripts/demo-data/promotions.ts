/**
 * Demo promotion codes, one of each shape checkout must handle: percentage, fixed with a minimum
 * subtotal, category-limited, and expired.
 */
import type { PromotionRow } from "../../src/flows/catalog/schema";

const DAY = 86_400_000;

/** The promotions, dated relative to `now` so they are live (or expired) whenever the demo is seeded. */
export function demoPromotions(now: number): PromotionRow[] {
  const started = now - 30 * DAY;
  const base = {
    minSubtotalMinor: 0,
    category: null,
    startsAt: started,
    expiresAt: null,
    createdAt: started,
  };
  return [
    { ...base, code: "WELCOME10", kind: "percentage", value: 1000 },
    { ...base, code: "SAVE5", kind: "fixed", value: 500, minSubtotalMinor: 2500 },
    { ...base, code: "ELECTRO15", kind: "percentage", value: 1500, category: "electronics" },
    {
      ...base,
      code: "EXPIRED20",
      kind: "percentage",
      value: 2000,
      startsAt: now - 60 * DAY,
      expiresAt: now - DAY,
      createdAt: now - 60 * DAY,
    },
  ];
}
