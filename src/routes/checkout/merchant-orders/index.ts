import { createRouter } from "../../../platform/http/router";
import { getMerchantOrderHandler, listMerchantOrdersHandler } from "./merchant-orders.handlers";
import { getMerchantOrder, listMerchantOrders } from "./merchant-orders.routes";

/** The merchant's order desk: the orders holding their products, their lines only. */
export const merchantOrderRoutes = createRouter()
  .openapi(listMerchantOrders, listMerchantOrdersHandler)
  .openapi(getMerchantOrder, getMerchantOrderHandler);
