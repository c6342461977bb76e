import type { QuoteRow } from "../../flows/pricing/schema";
import { QuoteLinesSchema, type QuoteResponse } from "./quotes.schemas";

/**
 * The API shape of a stored quote. Both POST (from the row it just wrote) and GET (from the row it
 * read) answer through this, which is what makes the two responses identical.
 */
export function toQuoteResponse(row: QuoteRow): QuoteResponse {
  return {
    id: row.id,
    // Parsed, not cast: the column is JSON, and a malformed row should fail loudly here.
    lines: QuoteLinesSchema.parse(row.lines),
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
