import { z } from "zod";
import { STEP_NAMES } from "./steps";

/**
 * The data the saga's published facts carry, defined once: the TypeScript types of orders, reasons and
 * actors are inferred from these schemas, and the same schemas validate events at the outbox.
 */
const Minor = z.number().int().nonnegative();

export const OrderLineSchema = z.object({
  productId: z.string().min(1),
  quantity: z.number().int().positive(),
  /** Minor units, as quoted. */
  unitPrice: Minor,
  merchantId: z.string().min(1),
});
export type OrderLine = z.infer<typeof OrderLineSchema>;

/** What the buyer ordered and how they pay: everything the saga needs, fixed when the order is placed. */
export const OrderDetailsSchema = z.object({
  orderId: z.string().min(1),
  buyerId: z.string().min(1),
  lines: z.array(OrderLineSchema).min(1),
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
