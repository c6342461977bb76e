import type { PricedQuote } from "../../flows/pricing/price-quote";
import type { QuoteRow } from "../../flows/pricing/schema";

/*
 * Kept apart from the response view (quote-record.ts) so that code without zod, such as bench/'s same-SQL
 * worker, can build the identical row.
 */

const DEFAULT_QUOTE_TTL_SECONDS = 900;

/** QUOTE_TTL_SECONDS in ms; a missing or nonsensical value falls back to the 15 minutes. */
export function quoteTtlMs(env: Pick<Env, "QUOTE_TTL_SECONDS">): number {
  const seconds = Number(env.QUOTE_TTL_SECONDS);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_QUOTE_TTL_SECONDS) * 1000;
}

/**
 * The row a priced quote is stored as. Lines are stored whole, exactly as priced, so checkout and
 * GET read the price that was quoted rather than recomputing it from today's catalog.
 *
 * @example
 * const row = toQuoteRow(priced, { id: newId("qt", now), userId, country: "US", now, ttlMs: 900_000 });
 */
export function toQuoteRow(
  priced: PricedQuote,
  meta: { id: string; userId: string; country: string; now: number; ttlMs: number },
): QuoteRow {
  return {
    id: meta.id,
    userId: meta.userId,
    currency: priced.currency,
    shipToCountry: meta.country,
    promoCode: priced.promoCode,
    lines: priced.lines,
    subtotalMinor: priced.subtotal,
    discountMinor: priced.discount,
    shippingMinor: priced.shipping,
    taxMinor: priced.tax,
    totalMinor: priced.total,
    createdAt: meta.now,
    expiresAt: meta.now + meta.ttlMs,
  };
}
