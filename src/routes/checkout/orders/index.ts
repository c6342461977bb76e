import { createRouter } from "../../../platform/http/router";
import { cancelOrderHandler, refundOrderHandler } from "./order-actions.handlers";
import { getOrderHandler, placeOrderHandler, streamOrderHandler } from "./orders.handlers";
import { cancelOrder, getOrder, listOrders, placeOrder, refundOrder, streamOrder } from "./orders.routes";
import { listOrdersHandler } from "./orders-list.handlers";

/** Checkout: place an order from a quote, follow it, list it, cancel or refund it. */
export const orderRoutes = createRouter()
  .openapi(placeOrder, placeOrderHandler)
  .openapi(listOrders, listOrdersHandler)
  .openapi(getOrder, getOrderHandler)
  .openapi(streamOrder, streamOrderHandler)
  .openapi(cancelOrder, cancelOrderHandler)
  .openapi(refundOrder, refundOrderHandler);
