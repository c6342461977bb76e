import { PricingError } from "./errors";
import { applyRate } from "./money";

/**
 * Tax by destination country, in basis points. These are ILLUSTRATIVE flat national rates (the standard
 * VAT/GST rate where there is one), not tax advice: real sales tax depends on the state or province,
 * the product class and registration thresholds, and the request only carries a country. The US has no
 * national sales tax; 7.25% (California's state base rate) stands in until addresses carry a state.
 *
 * This table is also the list of destinations we ship to: a country missing here is refused, and the
 * shipping table is type-checked to cover exactly these keys.
 */
export const TAX_RATES_BPS = {
  US: 725,
  CA: 500, // GST only; provincial PST/HST ignored
  MX: 1600,
  GB: 2000,
  IE: 2300,
  FR: 2000,
  DE: 1900,
  NL: 2100,
  ES: 2100,
  IT: 2200,
  SE: 2500,
  CH: 810,
  AU: 1000,
  NZ: 1500,
  JP: 1000,
  SG: 900,
} as const satisfies Record<string, number>;

export type SupportedCountry = keyof typeof TAX_RATES_BPS;

export const SUPPORTED_COUNTRIES = Object.keys(TAX_RATES_BPS) as SupportedCountry[];

/**
 * Narrows an (already upper-cased) ISO 3166-1 alpha-2 code to one we deliver to.
 *
 * @example
 * supportedCountry("DE"); // "DE"
 * supportedCountry("BR"); // throws PricingError unsupported-destination
 */
export function supportedCountry(country: string): SupportedCountry {
  if (Object.hasOwn(TAX_RATES_BPS, country)) return country as SupportedCountry;
  throw new PricingError({ kind: "unsupported-destination", country, supported: [...SUPPORTED_COUNTRIES] });
}

/**
 * Tax on goods after discount, rounded once on the cart total (not per line) so the total tax is the
 * same however the cart is split into lines. Shipping is not taxed: see price-quote.ts.
 *
 * @example
 * taxFor(10_000, "DE"); // 1900
 */
export function taxFor(taxableMinor: number, country: SupportedCountry): number {
  return applyRate(taxableMinor, TAX_RATES_BPS[country]);
}
