import { z } from "@hono/zod-openapi";
import { ORDER_STATUSES } from "../../../flows/checkout/schema";
import { pageOf, pageQuery } from "../../ops/ops.shared";

const Minor = z.number().int().nonnegative().openapi({ description: "Integer minor units (cents)." });
const Currency = z.string().openapi({ example: "USD" });
const Day = (description: string) => z.iso.date().optional().openapi({ description, example: "2026-08-01" });

export const MerchantOrderLineSchema = z
  .object({
    productId: z.string().openapi({ example: "prd_01jxyz…" }),
    title: z.string().openapi({ example: "Blue mug" }),
    quantity: z.number().int().positive(),
    unitPrice: Minor,
    lineTotal: Minor.openapi({ description: "unitPrice × quantity − the line's discount." }),
    currency: Currency,
  })
  .openapi("MerchantOrderLine");

export const MerchantOrderSchema = z
  .object({
    id: z.string().openapi({ example: "ord_01jxyz…" }),
    status: z.enum(ORDER_STATUSES).openapi({ description: "Where the order is in checkout." }),
    placedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    lines: z.array(MerchantOrderLineSchema).openapi({ description: "Your lines only, in order." }),
    subtotal: Minor.openapi({
      description: "The sum of your lines' totals: never the buyer's whole-order total.",
    }),
    currency: Currency,
  })
  .openapi("MerchantOrder");

export const MerchantOrderPageSchema = pageOf(MerchantOrderSchema, "MerchantOrderPage");

export const MerchantOrderListQuerySchema = z.strictObject({
  status: z.enum(ORDER_STATUSES).optional().openapi({ description: "Only orders in this status." }),
  from: Day("Placed on or after this UTC day (inclusive)."),
  to: Day("Placed on or before this UTC day (inclusive)."),
  ...pageQuery,
});

export const MerchantOrderIdParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "ord_01jxyz…" }),
});
