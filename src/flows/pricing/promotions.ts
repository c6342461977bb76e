import { codePointOrder } from "../../platform/code-point-order";
import type { PromotionRow } from "../catalog/schema";
import { PricingError } from "./errors";
import { allocate, applyRate, sumMinor } from "./money";

export type Promotion = Pick<
  PromotionRow,
  "code" | "kind" | "value" | "minSubtotalMinor" | "category" | "startsAt" | "expiresAt"
>;

/** The slice of a priced line a promotion looks at. */
export interface DiscountableLine {
  category: string;
  lineSubtotal: number;
}

export interface AppliedPromotion {
  /** The code as stored, whatever case the buyer typed. */
  code: string;
  discount: number;
  /** One entry per input line, in the same order; sums to `discount`. */
  lineDiscounts: number[];
}

const FULL_BPS = 10_000;

/**
 * Picks the promotion a buyer's code names. Codes match case-insensitively; if the table holds codes
 * differing only in case, the exact spelling wins so the choice never depends on row order.
 *
 * @example
 * findPromotion("summer10", [{ code: "SUMMER10", … }]); // the SUMMER10 promotion
 */
export function findPromotion(code: string, candidates: readonly Promotion[]): Promotion {
  const wanted = code.toUpperCase();
  const matches = candidates.filter((p) => p.code.toUpperCase() === wanted);
  const found =
    matches.find((p) => p.code === code) ?? matches.sort((a, b) => codePointOrder(a.code, b.code))[0];
  if (!found) throw new PricingError({ kind: "promo-code-unknown", code });
  return found;
}

/**
 * Applies a promotion to a cart, or throws why it does not apply.
 *
 * - Active from `startsAt` (inclusive) until `expiresAt` (exclusive); null `expiresAt` never expires.
 * - `minSubtotalMinor` is compared with the whole cart's subtotal before any discount.
 * - With a `category`, only lines of exactly that category are eligible, and a cart with none is refused
 *   rather than quietly discounted by zero, so the buyer learns why the code did nothing.
 * - `percentage` takes `value` basis points of the eligible subtotal (rounded half-up); `fixed` takes
 *   `value` minor units. Either is capped at the eligible subtotal, so a discount never makes goods
 *   negative. Out-of-range stored values are clamped: the table has no CHECK constraint.
 * - The discount is spread over eligible lines by largest remainder in proportion to their subtotals.
 *
 * @example
 * evaluatePromotion(tenPercent, [{ category: "mugs", lineSubtotal: 2500 }], now);
 * // { code: "TEN", discount: 250, lineDiscounts: [250] }
 */
export function evaluatePromotion(
  promotion: Promotion,
  lines: readonly DiscountableLine[],
  now: number,
): AppliedPromotion {
  const { code } = promotion;
  if (now < promotion.startsAt) {
    throw new PricingError({ kind: "promo-code-not-applicable", code, reason: "not-started" });
  }
  if (promotion.expiresAt !== null && now >= promotion.expiresAt) {
    throw new PricingError({ kind: "promo-code-expired", code, expiredAt: promotion.expiresAt });
  }
  const subtotal = sumMinor(lines.map((l) => l.lineSubtotal));
  if (subtotal < promotion.minSubtotalMinor) {
    throw new PricingError({
      kind: "promo-code-not-applicable",
      code,
      reason: "min-subtotal-not-met",
      minSubtotal: promotion.minSubtotalMinor,
      subtotal,
    });
  }
  const applies = (l: DiscountableLine) => promotion.category === null || l.category === promotion.category;
  // Decided by category, not amount: a free item of the category is eligible, for a zero discount.
  if (promotion.category !== null && !lines.some(applies)) {
    throw new PricingError({
      kind: "promo-code-not-applicable",
      code,
      reason: "no-eligible-items",
      category: promotion.category,
    });
  }
  const weights = lines.map((l) => (applies(l) ? l.lineSubtotal : 0));
  const eligible = sumMinor(weights);
  const value = Math.max(0, promotion.value);
  const raw = promotion.kind === "percentage" ? applyRate(eligible, Math.min(value, FULL_BPS)) : value;
  const discount = Math.min(raw, eligible);
  return { code, discount, lineDiscounts: allocate(discount, weights) };
}
