import type { SupportedCountry } from "./tax";

export type ShippingZone = "domestic" | "north-america" | "europe" | "asia-pacific";

/** Typed against the tax table, so adding a destination without a shipping zone does not compile. */
const ZONE_OF: Record<SupportedCountry, ShippingZone> = {
  US: "domestic",
  CA: "north-america",
  MX: "north-america",
  GB: "europe",
  IE: "europe",
  FR: "europe",
  DE: "europe",
  NL: "europe",
  ES: "europe",
  IT: "europe",
  SE: "europe",
  CH: "europe",
  AU: "asia-pacific",
  NZ: "asia-pacific",
  JP: "asia-pacific",
  SG: "asia-pacific",
};

/** Flat rate per shipment, in USD minor units. */
export const ZONE_RATES: Record<ShippingZone, number> = {
  domestic: 499,
  "north-america": 1299,
  europe: 1999,
  "asia-pacific": 2499,
};

/** Domestic orders whose goods come to at least this much after discount ship free. */
export const FREE_DOMESTIC_SHIPPING_FROM = 5000;

/**
 * Bulky categories pay a per-unit freight surcharge in every zone, and free shipping does not waive it:
 * the carrier charges it per parcel whatever the order is worth.
 */
export const HEAVY_CATEGORIES: ReadonlySet<string> = new Set(["furniture", "appliances"]);
export const HEAVY_SURCHARGE_PER_UNIT = 1500;

export interface ShippingInput {
  country: SupportedCountry;
  /** Subtotal minus discount: a code that drops a cart below the threshold also loses free shipping. */
  goodsAfterDiscount: number;
  lines: readonly { category: string; quantity: number }[];
}

/**
 * The shipping charge for one shipment: the zone's flat rate (waived for domestic carts at or above
 * FREE_DOMESTIC_SHIPPING_FROM) plus the heavy-item surcharge.
 *
 * @example
 * shippingFor({ country: "US", goodsAfterDiscount: 4999, lines: [{ category: "mugs", quantity: 1 }] }); // 499
 * shippingFor({ country: "US", goodsAfterDiscount: 5000, lines: [{ category: "mugs", quantity: 1 }] }); // 0
 */
export function shippingFor({ country, goodsAfterDiscount, lines }: ShippingInput): number {
  const zone = ZONE_OF[country];
  const freeBase = zone === "domestic" && goodsAfterDiscount >= FREE_DOMESTIC_SHIPPING_FROM;
  const base = freeBase ? 0 : ZONE_RATES[zone];
  let heavyUnits = 0;
  for (const l of lines) if (HEAVY_CATEGORIES.has(l.category)) heavyUnits += l.quantity;
  return base + heavyUnits * HEAVY_SURCHARGE_PER_UNIT;
}
