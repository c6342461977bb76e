import { z } from "zod";
import { type CurrentData, defineEvent, type EventDefinition } from "../../platform/events/define-event";
import {
  ActorSchema,
  CancelReasonSchema,
  CheckoutLineSchema,
  OrderDetailsSchema,
  StepErrorSchema,
  StepNameSchema,
} from "./schemas";

const order = { orderId: z.string(), buyerId: z.string() };
const money = { amount: z.number().int().nonnegative(), currency: z.string() };
const lines = z.array(CheckoutLineSchema);

const EXAMPLE_ORDER = {
  orderId: "ord_01",
  buyerId: "usr_01",
  lines: [{ productId: "prd_01", quantity: 2, unitPrice: 1250, merchantId: "usr_m1" }],
  amount: 2950,
  currency: "USD",
  paymentMethod: "pm_01",
};
const { paymentMethod: _, ...EXAMPLE_SUMMARY } = EXAMPLE_ORDER;

/** Every checkout fact is about one order: the envelope's subject is the order id. */
function orderEvent<Type extends string, S extends z.ZodType>(
  type: Type,
  description: string,
  schema: S,
  example: z.infer<S>,
) {
  // A generic S is not seen to be a ZodType of its own output; every concrete schema passed here is.
  const current = schema as S & z.ZodType<z.infer<S>>;
  return defineEvent({
    type,
    description,
    subject: "order",
    current,
    versions: [{ version: 1, schema, example }],
  });
}

export const orderPlaced = orderEvent(
  "order.placed",
  "A buyer placed an order; its checkout saga starts.",
  OrderDetailsSchema,
  EXAMPLE_ORDER,
);
export const inventoryReserved = orderEvent(
  "inventory.reserved",
  "The order's items were set aside.",
  z.object({ ...order, lines }),
  { orderId: "ord_01", buyerId: "usr_01", lines: EXAMPLE_ORDER.lines },
);
export const paymentAuthorized = orderEvent(
  "payment.authorized",
  "The buyer's payment was authorized (held, not yet taken).",
  z.object({ ...order, ...money, authorizationId: z.string() }),
  { orderId: "ord_01", buyerId: "usr_01", amount: 2950, currency: "USD", authorizationId: "auth_01" },
);
export const orderConfirmed = orderEvent(
  "order.confirmed",
  "The order is confirmed: from here it is no longer cancelled, only refunded.",
  z.object({ ...order, ...money, lines }),
  EXAMPLE_SUMMARY,
);
export const paymentCaptured = orderEvent(
  "payment.captured",
  "The authorized payment was taken.",
  z.object({ ...order, ...money, authorizationId: z.string(), captureId: z.string() }),
  {
    orderId: "ord_01",
    buyerId: "usr_01",
    amount: 2950,
    currency: "USD",
    authorizationId: "auth_01",
    captureId: "cap_01",
  },
);
export const paymentCaptureFailed = orderEvent(
  "payment.capture_failed",
  "Capturing a confirmed order's payment failed permanently; an operator must resolve it.",
  z.object({ ...order, ...money, authorizationId: z.string(), error: StepErrorSchema }),
  {
    orderId: "ord_01",
    buyerId: "usr_01",
    amount: 2950,
    currency: "USD",
    authorizationId: "auth_01",
    error: { kind: "permanent", code: "authorization-expired", message: "The authorization expired." },
  },
);
export const orderCancellationStarted = orderEvent(
  "order.cancellation_started",
  "The order is being cancelled: a step failed or someone asked; compensations are running.",
  z.object({
    ...order,
    reason: CancelReasonSchema,
    /** null when a failure cancelled the order. */
    requestedBy: ActorSchema.nullable(),
    /** The requester's own words, for support; never shown as the reason. */
    note: z.string().nullable(),
  }),
  {
    orderId: "ord_01",
    buyerId: "usr_01",
    reason: { code: "payment-declined", message: "your card was declined" },
    requestedBy: null,
    note: null,
  },
);
export const inventoryReleased = orderEvent(
  "inventory.released",
  "Items reserved for a cancelled order were put back.",
  z.object({ ...order, lines }),
  { orderId: "ord_01", buyerId: "usr_01", lines: EXAMPLE_ORDER.lines },
);
export const paymentVoided = orderEvent(
  "payment.voided",
  "A cancelled order's payment authorization was released; the buyer was not charged.",
  z.object({ ...order, ...money, authorizationId: z.string() }),
  { orderId: "ord_01", buyerId: "usr_01", amount: 2950, currency: "USD", authorizationId: "auth_01" },
);
export const orderCancelled = orderEvent(
  "order.cancelled",
  "The order was cancelled and everything it held was given back.",
  z.object({ ...order, ...money, lines, reason: CancelReasonSchema }),
  { ...EXAMPLE_SUMMARY, reason: { code: "payment-declined", message: "your card was declined" } },
);
export const orderRefundRequested = orderEvent(
  "order.refund_requested",
  "A merchant or an admin asked for a confirmed order to be refunded.",
  z.object({ ...order, ...money, requestedBy: ActorSchema }),
  {
    orderId: "ord_01",
    buyerId: "usr_01",
    amount: 2950,
    currency: "USD",
    requestedBy: { userId: "usr_m1", role: "merchant" },
  },
);
export const paymentRefunded = orderEvent(
  "payment.refunded",
  "The captured payment was given back to the buyer.",
  z.object({ ...order, ...money, captureId: z.string(), refundId: z.string() }),
  {
    orderId: "ord_01",
    buyerId: "usr_01",
    amount: 2950,
    currency: "USD",
    captureId: "cap_01",
    refundId: "ref_01",
  },
);
export const inventoryRestocked = orderEvent(
  "inventory.restocked",
  "A refunded order's items went back into stock.",
  z.object({ ...order, lines }),
  { orderId: "ord_01", buyerId: "usr_01", lines: EXAMPLE_ORDER.lines },
);
export const orderRefunded = orderEvent(
  "order.refunded",
  "The order was refunded and its items restocked.",
  z.object({ ...order, ...money, lines }),
  EXAMPLE_SUMMARY,
);
export const orderSagaStalled = orderEvent(
  "order.saga_stalled",
  "A step that must succeed keeps failing; the saga retries at its longest backoff until it works.",
  z.object({ ...order, step: StepNameSchema, attempts: z.number().int().positive(), error: StepErrorSchema }),
  {
    orderId: "ord_01",
    buyerId: "usr_01",
    step: "void-authorization",
    attempts: 5,
    error: { kind: "transient", code: "gateway-unavailable", message: "503 from the gateway" },
  },
);

/**
 * The facts the checkout saga publishes through the outbox. The event catalog spreads this in, which is
 * what makes them publishable: `newEvent(e.type, state.orderId, e.data, causation, source, e.at)`.
 */
export const CHECKOUT_EVENTS = {
  [orderPlaced.type]: orderPlaced,
  [inventoryReserved.type]: inventoryReserved,
  [paymentAuthorized.type]: paymentAuthorized,
  [orderConfirmed.type]: orderConfirmed,
  [paymentCaptured.type]: paymentCaptured,
  [paymentCaptureFailed.type]: paymentCaptureFailed,
  [orderCancellationStarted.type]: orderCancellationStarted,
  [inventoryReleased.type]: inventoryReleased,
  [paymentVoided.type]: paymentVoided,
  [orderCancelled.type]: orderCancelled,
  [orderRefundRequested.type]: orderRefundRequested,
  [paymentRefunded.type]: paymentRefunded,
  [inventoryRestocked.type]: inventoryRestocked,
  [orderRefunded.type]: orderRefunded,
  [orderSagaStalled.type]: orderSagaStalled,
} as const satisfies Record<string, EventDefinition>;

export type CheckoutEventType = keyof typeof CHECKOUT_EVENTS;
export type CheckoutEventData<T extends CheckoutEventType> = CurrentData<(typeof CHECKOUT_EVENTS)[T]>;
