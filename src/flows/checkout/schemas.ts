import { z } from "zod";
import type { PricedLine } from "../pricing/price-quote";
import { STEP_NAMES } from "./steps";

/**
 * The data of orders and of the saga's published facts, defined once: the TypeScript types of order
 * lines, reasons and actors are inferred from these schemas, and the same schemas validate events at
 * the outbox.
 */
const Minor = z.number().int().nonnegative();

/**
 * An order's line as `orders.lines` stores it: the quote's priced line, as quoted (money in minor
 * units), with the merchant who sells it. Written once when the order is placed, never changed; the
 * column's type, GET /v1/orders/{id}'s lines and the saga's lines all come from this schema.
 */
export const OrderLineSchema = z.object({
  productId: z.string().min(1),
  title: z.string(),
  category: z.string(),
  quantity: z.number().int().positive(),
  unitPrice: Minor,
  lineSubtotal: Minor,
  discount: Minor,
  tax: Minor,
  /** lineSubtotal − discount + tax; shipping belongs to the order, not to a line. */
  total: Minor,
  merchantId: z.string().min(1),
}) satisfies z.ZodType<PricedLine & { merchantId: string }>;
export type OrderLine = z.infer<typeof OrderLineSchema>;

/**
 * An order's line as the checkout saga, its step commands and its published facts carry it: what to
 * reserve and whom it is sold by, at the quoted unit price. Parsing a stored line drops the rest.
 */
export const CheckoutLineSchema = OrderLineSchema.pick({
  productId: true,
  quantity: true,
  unitPrice: true,
  merchantId: true,
});
export type CheckoutLine = z.infer<typeof CheckoutLineSchema>;

/** What the buyer ordered and how they pay: everything the saga needs, fixed when the order is placed. */
export const OrderDetailsSchema = z.object({
  orderId: z.string().min(1),
  buyerId: z.string().min(1),
  lines: z.array(CheckoutLineSchema).min(1),
  /** What the buyer pays in total (goods, shipping and tax), in minor units. */
  amount: Minor,
  currency: z.string().regex(/^[A-Z]{3}$/),
  /** The payment gateway's reference for the buyer's payment method. */
  paymentMethod: z.string().min(1),
});
export type OrderDetails = z.infer<typeof OrderDetailsSchema>;

export const CANCEL_REASON_CODES = [
  "out-of-stock",
  "item-unavailable",
  "inventory-unavailable",
  "payment-declined",
  "payment-timeout",
  "payment-unavailable",
  "confirmation-failed",
  "requested-by-buyer",
  "cancelled-by-merchant",
  "cancelled-by-support",
] as const;

/** Why an order was cancelled: a stable code for programs and a message the buyer can read. */
export const CancelReasonSchema = z.object({
  code: z.enum(CANCEL_REASON_CODES),
  message: z.string(),
});
export type CancelReason = z.infer<typeof CancelReasonSchema>;

/** Who asked for a cancellation or a refund; the route has already checked they may. */
export const ActorSchema = z.object({
  userId: z.string().min(1),
  role: z.enum(["buyer", "merchant", "admin"]),
});
export type Actor = z.infer<typeof ActorSchema>;

/**
 * How an attempt failed. `permanent`: retrying cannot help (card declined, out of stock). `transient`:
 * it may work later (503, network). `timeout`: no answer in time — it may or may not have happened.
 */
export const StepErrorSchema = z.object({
  kind: z.enum(["permanent", "transient", "timeout"]),
  code: z.string(),
  message: z.string(),
});
export type StepError = z.infer<typeof StepErrorSchema>;

export const StepNameSchema = z.enum(STEP_NAMES);
