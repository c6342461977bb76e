import { z } from "@hono/zod-openapi";
import { STEP_NAMES } from "../../../flows/checkout";
import { ORDER_STATUSES } from "../../../flows/checkout/schema";
import { CANCEL_REASON_CODES, OrderLineSchema } from "../../../flows/checkout/schemas";

const Minor = z.number().int().nonnegative().openapi({ description: "Integer minor units (cents)." });
const OrderId = z.string().openapi({ example: "ord_01jxyz…" });
const Status = z.enum(ORDER_STATUSES).openapi({ description: "Where the order is in checkout." });
const ConsistencyToken = z.string().openapi({
  description:
    "Opaque. Pass it to GET /v1/orders?consistencyToken=… to read the list at least as new as this answer.",
});

export const PlaceOrderRequestSchema = z
  .strictObject({
    quoteId: z.string().min(1).max(64).openapi({ example: "qt_01jxyz…" }),
    paymentMethod: z
      .string()
      .min(1)
      .max(64)
      .regex(/^pm_[a-z0-9_]+$/, "must be a payment method reference like pm_card_visa")
      .openapi({ example: "pm_card_visa" }),
  })
  .openapi("PlaceOrderRequest");

/** The answer to every write on an order: accepted, with where to follow it. */
export const OrderAcceptedSchema = z
  .object({
    id: OrderId,
    status: Status,
    statusUrl: z.string().openapi({ example: "/v1/orders/ord_01jxyz…" }),
    consistencyToken: ConsistencyToken,
  })
  .openapi("OrderAccepted");

/**
 * An order's line as stored: every field of it is the buyer's to read. Rebuilt from the stored schema's
 * shape because `.openapi()` exists only on schemas created after @hono/zod-openapi has loaded.
 */
const OrderLineResponseSchema = z.object(OrderLineSchema.shape).openapi("OrderLine", {
  description: "A line as it was quoted (money in integer minor units), with the merchant who sells it.",
});

const StepSchema = z.object({
  name: z.enum(STEP_NAMES),
  status: z.enum(["running", "succeeded", "failed", "retrying", "timed-out", "abandoned"]),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  attempts: z.number().int().positive(),
  detail: z.string().nullable(),
});

export const OrderSchema = z
  .object({
    id: OrderId,
    status: Status,
    statusMessage: z.string().openapi({ example: "We're confirming your payment" }),
    cancelReason: z.object({ code: z.enum(CANCEL_REASON_CODES), message: z.string() }).nullable(),
    steps: z.array(StepSchema).openapi({ description: "The checkout saga's steps, in the order they ran." }),
    lines: z.array(OrderLineResponseSchema),
    subtotal: Minor,
    discount: Minor,
    shipping: Minor,
    tax: Minor,
    total: Minor,
    currency: z.string().openapi({ example: "USD" }),
    placedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi("Order");

export const OrderSummarySchema = z
  .object({
    id: OrderId,
    status: z.enum([...ORDER_STATUSES, "processing"]).openapi({
      description:
        "`processing` only with `final: false`: the list has not caught up with your consistency token " +
        "and the state it holds may be about to change.",
    }),
    statusMessage: z.string(),
    total: z.object({ amount: Minor, currency: z.string() }),
    itemCount: z.number().int().nonnegative(),
    placedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    final: z.boolean().openapi({
      description: "false: this order changed since the list was last updated; read it again soon.",
    }),
  })
  .openapi("OrderSummary");

export const OrderListSchema = z
  .object({
    items: z.array(OrderSummarySchema),
    nextCursor: z.string().nullable(),
    consistency: z.object({
      caughtUp: z.boolean().openapi({ description: "true when the list reflects the consistency token." }),
      pendingOrderIds: z.array(z.string()),
    }),
  })
  .openapi("OrderList");

export const OrderListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(512).optional(),
  consistencyToken: z.string().min(1).max(512).optional().openapi({
    description: "From a write's answer: wait (up to about 2 s) for the list to reflect that write.",
  }),
});

export const OrderIdParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "ord_01jxyz…" }),
});
