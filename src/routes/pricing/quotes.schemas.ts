import { z } from "@hono/zod-openapi";
import type { PricedLine } from "../../flows/pricing/price-quote";
import { MAX_QUOTE_PRODUCTS } from "../../flows/pricing/quote-inputs";

const Minor = z.number().int().nonnegative().openapi({ description: "Integer minor units (cents)." });

const ItemSchema = z.strictObject({
  productId: z.string().min(1).max(64).openapi({ example: "prd_01jxyz…" }),
  quantity: z.number().int().min(1).max(1000),
});

/**
 * Strict at every level, so a misspelt field (`promocode`) is a 400 naming it, not silently ignored.
 * At most 100 items: the products are loaded in one `IN (…)` query, and D1 binds at most 100 parameters.
 */
export const QuoteRequestSchema = z
  .strictObject({
    items: z.array(ItemSchema).min(1).max(MAX_QUOTE_PRODUCTS),
    promoCode: z.string().min(1).max(64).optional().openapi({ description: "Matched case-insensitively." }),
    shipTo: z.strictObject({
      country: z
        .string()
        .regex(/^[A-Za-z]{2}$/, "must be an ISO 3166-1 alpha-2 country code")
        .transform((c) => c.toUpperCase())
        .openapi({ example: "US", description: "ISO 3166-1 alpha-2; any case, answered upper-case." }),
    }),
  })
  .openapi("QuoteRequest");

/** Typed against the engine's output, so the contract cannot drift from what is priced and stored. */
export const QuoteLineSchema = z
  .object({
    productId: z.string(),
    title: z.string(),
    category: z.string(),
    quantity: z.number().int().positive(),
    unitPrice: Minor,
    lineSubtotal: Minor,
    discount: Minor,
    tax: Minor,
    total: Minor.openapi({ description: "lineSubtotal − discount + tax (shipping is quote-level)." }),
  })
  .openapi("QuoteLine") satisfies z.ZodType<PricedLine>;

/**
 * A quote's lines, as stored and as answered. Built once here: a zod schema is an object graph, and
 * `QuoteLineSchema.array()` inside a handler rebuilt it on every request (about 5% of POST /v1/quotes'
 * CPU in a profile).
 */
export const QuoteLinesSchema = z.array(QuoteLineSchema);

/** The one response shape of both POST /v1/quotes and GET /v1/quotes/{id}. */
export const QuoteSchema = z
  .object({
    id: z.string().openapi({ example: "qt_01jxyz…" }),
    lines: QuoteLinesSchema,
    subtotal: Minor,
    discount: Minor,
    shipping: Minor,
    tax: Minor.openapi({ description: "On goods after discount; shipping is not taxed." }),
    total: Minor.openapi({ description: "subtotal − discount + shipping + tax" }),
    currency: z.string().openapi({ example: "USD" }),
    expiresAt: z.iso.datetime().openapi({ description: "Checkout honours this price until then." }),
    promoCode: z.string().nullable().openapi({ description: "The applied code as stored, or null." }),
    shipTo: z.object({ country: z.string() }),
  })
  .openapi("Quote");

export type QuoteResponse = z.infer<typeof QuoteSchema>;

export const QuoteIdParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "qt_01jxyz…" }),
});
