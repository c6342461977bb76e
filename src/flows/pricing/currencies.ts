import { z } from "zod";

/**
 * The currencies quotes can be priced in. Shipping rates and fixed-amount promotions are stored as bare
 * minor units with no currency of their own, and they are USD amounts; pricing a EUR cart with them
 * would be silently wrong, so other currencies are refused until those tables carry a currency.
 */
export const PRICING_CURRENCIES = ["USD"] as const;

/**
 * A product's currency, checked against PRICING_CURRENCIES wherever a product is written (created or
 * imported), so nothing is listed that no quote could price.
 */
export const PricingCurrencySchema = z.enum(PRICING_CURRENCIES, {
  error: `must be a currency quotes support: ${PRICING_CURRENCIES.join(", ")}`,
});
