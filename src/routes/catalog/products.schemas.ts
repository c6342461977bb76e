/**
 * The product API's shapes, each defined once: derived from the drizzle table where a column maps
 * one-to-one, extended where the API deliberately differs (money as an object, ISO timestamps).
 */
import { z } from "@hono/zod-openapi";
import { createSchemaFactory } from "drizzle-zod";
import { CATEGORIES } from "../../flows/catalog/categories";
import { type ProductRow, products } from "../../flows/catalog/schema";
import { SEARCH_PAGE_SIZE } from "../../flows/catalog/search-plan";
import { PRODUCT_SORTS } from "../../flows/catalog/sorts";
import { PricingCurrencySchema } from "../../flows/pricing/currencies";

// Hono's zod instance, so derived schemas accept `.openapi()` metadata.
const { createInsertSchema, createSelectSchema } = createSchemaFactory({ zodInstance: z });

const CategorySchema = z.enum(CATEGORIES).openapi({ example: "lighting" });
const CurrencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD")
  .openapi({ example: "USD" });
// Far below 2^53, so sums of many lines stay exact integers.
const MAX_PRICE_MINOR = 100_000_000;

export const MoneySchema = z
  .object({
    amount: z.number().int().openapi({ description: "Integer minor units (cents for USD).", example: 4999 }),
    currency: CurrencySchema,
  })
  .openapi("Money");

export const ProductSchema = createSelectSchema(products)
  .pick({ id: true, merchantId: true, sku: true, title: true, description: true })
  .extend({
    category: CategorySchema,
    price: MoneySchema,
    stock: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi("Product");

export type ProductResponse = z.infer<typeof ProductSchema>;

/** A row as the API shows it; the one place the stored shape becomes the public one. */
export function toProductResponse(row: ProductRow): ProductResponse {
  return {
    id: row.id,
    merchantId: row.merchantId,
    sku: row.sku,
    title: row.title,
    description: row.description,
    category: row.category,
    price: { amount: row.priceMinor, currency: row.currency },
    stock: row.stock,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

export const ProductPageSchema = z
  .object({
    items: z.array(ProductSchema),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: "Pass as `cursor` for the next page; null on the last page." }),
  })
  .openapi("ProductPage");

/** A query-string integer: digits only, so "", "1e3" and "0x10" are errors rather than numbers. */
const queryInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,15}$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .openapi({ type: "integer", minimum: min, maximum: max });

export const ProductSearchQuerySchema = z
  .strictObject({
    q: z.string().optional().openapi({
      description: "Words to find in title, description or category; the last is matched as a prefix.",
      example: "brass lamp",
    }),
    category: CategorySchema.optional(),
    minPrice: queryInt(0, MAX_PRICE_MINOR).optional().openapi({ description: "Minor units, inclusive." }),
    maxPrice: queryInt(0, MAX_PRICE_MINOR).optional().openapi({ description: "Minor units, inclusive." }),
    merchantId: z.string().min(1).max(64).optional().openapi({
      description: "Only this merchant's products (a merchant listing their own: their user id).",
      example: "usr_01jxyz…",
    }),
    sort: z.enum(PRODUCT_SORTS).optional().openapi({
      description:
        "Default: relevance when q has words, newest otherwise. Without q, relevance means newest.",
    }),
    limit: queryInt(SEARCH_PAGE_SIZE.min, SEARCH_PAGE_SIZE.max)
      .optional()
      .openapi({ default: SEARCH_PAGE_SIZE.default }),
    cursor: z.string().optional().openapi({ description: "The previous page's nextCursor, unchanged." }),
  })
  .refine((v) => v.minPrice === undefined || v.maxPrice === undefined || v.minPrice <= v.maxPrice, {
    path: ["minPrice"],
    message: "must not exceed maxPrice",
  });

export const ProductIdParamSchema = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "prd_demo_000001" }),
});

export const CreateProductBodySchema = createInsertSchema(products, {
  sku: (s) => s.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "1-64 letters, digits, '.', '_' or '-'"),
  title: (s) => s.trim().min(1).max(200),
  description: (s) => s.trim().min(1).max(5000),
  stock: (s) => s.int().min(0).max(1_000_000),
})
  .pick({ sku: true, title: true, description: true, category: true, stock: true })
  .extend({
    price: z.number().int().positive().max(MAX_PRICE_MINOR).openapi({ description: "Minor units." }),
    currency: PricingCurrencySchema.default("USD").openapi({ example: "USD" }),
  })
  .strict()
  .openapi("CreateProduct");
