import {
  type Actor,
  type OrderDetails,
  OrderDetailsSchema,
  type RejectionReason,
} from "../../flows/checkout";
import type { OrderRow } from "../../flows/checkout/order-view";
import type { SagaCause } from "./d1-record";
import type { OrderView, SagaInspection } from "./view";

export type { OrderView, SagaInspection, StepView as OrderStepView } from "./view";

/** The saga's answer to a cancellation or refund request, with its rejection reasons typed. */
export type SagaAnswer =
  | { ok: true; view: OrderView }
  | { ok: false; reason: RejectionReason; message: string };

/**
 * The order's saga, one Durable Object per order id, with the calls the HTTP routes make.
 *
 * @example
 * const answer = await orderSaga(c.env, orderId).cancel({ userId, role: "buyer" });
 */
export function orderSaga(env: Pick<Env, "ORDER_SAGA">, orderId: string) {
  const stub = env.ORDER_SAGA.get(env.ORDER_SAGA.idFromName(orderId));
  return {
    start: (order: OrderDetails, cause?: SagaCause) => stub.start(order, cause),
    view: (): Promise<OrderView | null> => stub.view(),
    inspect: (): Promise<SagaInspection | null> => stub.inspect(),
    // The object reports reasons as strings; they are the domain's RejectionReason values.
    cancel: async (by: Actor) => (await stub.cancel(by)) as SagaAnswer,
    refund: async (by: Actor) => (await stub.refund(by)) as SagaAnswer,
    // Re-wrapped: a fetched Response has immutable headers, and the app's middleware adds its own.
    stream: async (lastSeenVersion: number) => {
      const res = await stub.fetch(
        new Request("https://order-saga/stream", { headers: { "last-event-id": String(lastSeenVersion) } }),
      );
      return new Response(res.body, res);
    },
  };
}

/**
 * What the saga is started with (the `order.placed` data), from an order's row or the parts of a new
 * one: the lines are stored with their quote fields, and parsing keeps only the checkout line of each
 * (product, quantity, price and merchant).
 */
export function orderDetails(
  order: Pick<OrderRow, "id" | "buyerId" | "lines" | "totalMinor" | "currency" | "paymentMethod">,
): OrderDetails {
  return OrderDetailsSchema.parse({
    orderId: order.id,
    buyerId: order.buyerId,
    lines: order.lines,
    amount: order.totalMinor,
    currency: order.currency,
    paymentMethod: order.paymentMethod,
  });
}
