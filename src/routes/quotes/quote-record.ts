import type { QuoteRow } from "../../db/schema";
import type { PricedQuote } from "../../domain/pricing/price-quote";
import { QuoteLineSchema, type QuoteResponse } from "./quotes.schemas";

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

/**
 * The API shape of a stored quote. Both POST (from the row it just wrote) and GET (from the row it
 * read) answer through this, which is what makes the two responses identical.
 */
export function toQuoteResponse(row: QuoteRow): QuoteResponse {
  return {
    id: row.id,
    // Parsed, not cast: the column is JSON, and a malformed row should fail loudly here.
    lines: QuoteLineSchema.array().parse(row.lines),
    subtotal: row.subtotalMinor,
    discount: row.discountMinor,
    shipping: row.shippingMinor,
    tax: row.taxMinor,
    total: row.totalMinor,
    currency: row.currency,
    expiresAt: new Date(row.expiresAt).toISOString(),
    promoCode: row.promoCode,
    shipTo: { country: row.shipToCountry },
  };
}
