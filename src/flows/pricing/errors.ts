/**
 * Why a cart cannot be priced. The engine throws these as one `PricingError` whose `problem` is a
 * discriminated union, so the HTTP layer maps each kind to a status in one exhaustive switch and the
 * domain never learns about HTTP.
 */
export type PricingProblem =
  | { kind: "unknown-product"; productIds: string[] }
  | { kind: "insufficient-stock"; items: { productId: string; requested: number; available: number }[] }
  | { kind: "mixed-currency"; currencies: string[] }
  | { kind: "unsupported-currency"; currency: string; supported: string[] }
  | { kind: "unsupported-destination"; country: string; supported: string[] }
  | { kind: "promo-code-unknown"; code: string }
  | { kind: "promo-code-expired"; code: string; expiredAt: number }
  | { kind: "promo-code-not-applicable"; code: string; reason: "not-started" }
  | {
      kind: "promo-code-not-applicable";
      code: string;
      reason: "min-subtotal-not-met";
      minSubtotal: number;
      subtotal: number;
    }
  | { kind: "promo-code-not-applicable"; code: string; reason: "no-eligible-items"; category: string };

/**
 * @example
 * throw new PricingError({ kind: "unknown-product", productIds: ["prd_x"] });
 */
export class PricingError extends Error {
  constructor(readonly problem: PricingProblem) {
    super(`cannot price the quote: ${problem.kind}`);
    this.name = "PricingError";
  }
}
