import { defineFlow } from "../../platform/events/registry";
import { CHECKOUT_EVENTS } from "./events";

/** The order's status facts: each changes what the buyer's list and the merchants' desks show. */
const STATUS_FACTS = [
  "order.placed",
  "order.confirmed",
  "order.cancellation_started",
  "order.cancelled",
  "order.refund_requested",
  "order.refunded",
] as const satisfies readonly (keyof typeof CHECKOUT_EVENTS)[];

/** Checkout: an order placed, its saga (reserve, authorize, capture; compensations), the buyer's list and the merchants' order desks. */
export const checkoutFlow = defineFlow({
  name: "checkout",
  events: CHECKOUT_EVENTS,
  consumers: {
    // Each message is one order's own Durable Object, so a batch's messages are started all at once; no
    // batch timeout, so an order placed on a quiet queue starts at once, and a busy queue still fills batches.
    "order-saga": {
      description: "Starts each order's saga (the OrderSaga Durable Object) from `order.placed`.",
      producer: "ORDER_SAGA_QUEUE",
      delivery: { maxBatchSize: 100, maxBatchTimeout: 0, maxRetries: 10, retryDelay: 2 },
      subscribes: ["order.placed"],
    },
    "order-projection": {
      description: "Keeps `order_views`, the buyer's order list, from the order's status facts.",
      producer: "ORDER_PROJECTION_QUEUE",
      delivery: { maxBatchSize: 100, maxBatchTimeout: 1, maxRetries: 10, retryDelay: 2 },
      subscribes: [...STATUS_FACTS],
    },
    "merchant-orders": {
      description:
        "Keeps `merchant_orders`, each merchant's order desk (their own lines only), from the order's status facts.",
      producer: "MERCHANT_ORDERS_QUEUE",
      delivery: { maxBatchSize: 100, maxBatchTimeout: 1, maxRetries: 10, retryDelay: 2 },
      subscribes: [...STATUS_FACTS],
    },
  },
});
