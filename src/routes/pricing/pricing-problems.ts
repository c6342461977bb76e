import type { PricingProblem } from "../../flows/pricing/errors";
import { type AppError, ConflictError, UnprocessableError } from "../../platform/errors";

const money = (minor: number) => (minor / 100).toFixed(2);

/**
 * Maps why the engine refused a cart to the HTTP problem the buyer sees. Stock is a 409 because it is
 * a conflict with the current state (retrying later may work); everything else about the cart's
 * content is a 422. Problem types are stable slugs: clients switch on them.
 *
 * @example
 * throw toHttpError({ kind: "unknown-product", productIds: ["prd_x"] }); // 422 /problems/unknown-product
 */
export function toHttpError(problem: PricingProblem): AppError {
  switch (problem.kind) {
    case "unknown-product":
      return new UnprocessableError(
        `No product with id ${problem.productIds.map((id) => `'${id}'`).join(", ")}.`,
        "unknown-product",
        { productIds: problem.productIds },
      );
    case "insufficient-stock":
      return new ConflictError(
        problem.items
          .map((i) => `'${i.productId}': ${i.requested} requested, ${i.available} available`)
          .join("; "),
        "insufficient-stock",
        { items: problem.items },
      );
    case "mixed-currency":
      return new UnprocessableError(
        `A quote is priced in one currency; these items are in ${problem.currencies.join(" and ")}.`,
        "mixed-currency",
        { currencies: problem.currencies },
      );
    case "unsupported-currency":
      return new UnprocessableError(
        `Quotes are priced in ${problem.supported.join(", ")}; these items are in ${problem.currency}.`,
        "unsupported-currency",
        { currency: problem.currency, supported: problem.supported },
      );
    case "unsupported-destination":
      return new UnprocessableError(`We do not deliver to '${problem.country}'.`, "unsupported-destination", {
        country: problem.country,
        supportedCountries: problem.supported,
      });
    case "promo-code-unknown":
      return new UnprocessableError(`No promotion has the code '${problem.code}'.`, "promo-code-unknown", {
        promoCode: problem.code,
      });
    case "promo-code-expired":
      return new UnprocessableError(`The code '${problem.code}' has expired.`, "promo-code-expired", {
        promoCode: problem.code,
        expiredAt: new Date(problem.expiredAt).toISOString(),
      });
    case "promo-code-not-applicable":
      return notApplicable(problem);
    default: {
      const unhandled: never = problem;
      throw new Error(`unmapped pricing problem ${JSON.stringify(unhandled)}`);
    }
  }
}

function notApplicable(problem: Extract<PricingProblem, { kind: "promo-code-not-applicable" }>): AppError {
  const type = "promo-code-not-applicable";
  const base = { promoCode: problem.code, reason: problem.reason };
  switch (problem.reason) {
    case "not-started":
      return new UnprocessableError(`The code '${problem.code}' is not active yet.`, type, base);
    case "min-subtotal-not-met":
      return new UnprocessableError(
        `The code '${problem.code}' needs a subtotal of at least ${money(problem.minSubtotal)}; ` +
          `this cart comes to ${money(problem.subtotal)}.`,
        type,
        { ...base, minSubtotal: problem.minSubtotal, subtotal: problem.subtotal },
      );
    case "no-eligible-items":
      return new UnprocessableError(
        `The code '${problem.code}' applies only to '${problem.category}' items, and this cart has none.`,
        type,
        { ...base, category: problem.category },
      );
    default: {
      const unhandled: never = problem;
      throw new Error(`unmapped promo reason ${JSON.stringify(unhandled)}`);
    }
  }
}
