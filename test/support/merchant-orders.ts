import { expect } from "vitest";
import { orderDetails } from "../../src/durable-objects/checkout/order-saga-client";
import type { OrderRow } from "../../src/flows/checkout/order-view";
import { anEvent } from "./events";
import { deliver } from "./queues";

export const DESK_QUEUE = "crossdock-merchant-orders";

const ref = (o: OrderRow) => ({ orderId: o.id, buyerId: o.buyerId });
const linesOf = (o: OrderRow) => orderDetails(o).lines;
const money = (o: OrderRow) => ({ amount: o.totalMinor, currency: o.currency });

/** The order's `order.placed` fact, from its row. */
export const placedFact = (o: OrderRow) =>
  anEvent("order.placed", { ...ref(o), ...money(o), lines: linesOf(o), paymentMethod: o.paymentMethod });

/** The order's `order.confirmed` fact, from its row. */
export const confirmedFact = (o: OrderRow) =>
  anEvent("order.confirmed", { ...ref(o), ...money(o), lines: linesOf(o) });

/** The order's `order.refunded` fact, from its row. */
export const refundedFact = (o: OrderRow) =>
  anEvent("order.refunded", { ...ref(o), ...money(o), lines: linesOf(o) });

/** Delivers `order.placed` for each order to the merchant-orders consumer, as the relay would. */
export async function toDesks(...orders: OrderRow[]) {
  const result = await deliver(
    DESK_QUEUE,
    orders.map((o) => ({ body: placedFact(o) })),
  );
  expect(result.retryMessages).toEqual([]);
}
