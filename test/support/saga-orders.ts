import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { OrderSaga } from "../../src/durable-objects/checkout/order-saga";
import { orderDetails } from "../../src/durable-objects/checkout/order-saga-client";
import { isTerminal, type OrderDetails, type OrderLine, type OrderSagaState } from "../../src/flows/checkout";
import { newId } from "../../src/platform/ids";
import { sandboxLedger } from "../../src/providers/payments/sandbox-shards";
import { insertProduct } from "./catalog";
import { insertOrder } from "./orders";
import { createTestUser } from "./users";

export type SagaStub = DurableObjectStub<OrderSaga>;

export const sagaFor = (orderId: string): SagaStub => env.ORDER_SAGA.get(env.ORDER_SAGA.idFromName(orderId));

/** A product with `stock` units, from a fresh merchant. */
export async function aProduct(stock: number, priceMinor = 1250) {
  const merchant = await createTestUser("merchant", "Mia Merchant");
  const product = await insertProduct(merchant.id, { stock, priceMinor, title: "Blue mug" });
  return {
    merchantId: merchant.id,
    productId: product.id,
    priceMinor,
    title: product.title,
    category: product.category,
  };
}

/**
 * An order as the orders API leaves it: a buyer, the `orders` row (pending, version 1) in D1, and the
 * details the saga is started with.
 */
export async function anOrder(
  product: Awaited<ReturnType<typeof aProduct>>,
  o: { quantity?: number; paymentMethod?: string } = {},
): Promise<OrderDetails> {
  const buyer = await createTestUser("buyer", "Ada Buyer");
  const quantity = o.quantity ?? 1;
  const amount = product.priceMinor * quantity;
  const line: OrderLine = {
    productId: product.productId,
    title: product.title,
    category: product.category,
    quantity,
    unitPrice: product.priceMinor,
    lineSubtotal: amount,
    discount: 0,
    tax: 0,
    total: amount,
    merchantId: product.merchantId,
  };
  const order = orderDetails({
    id: newId("ord"),
    buyerId: buyer.id,
    lines: [line],
    totalMinor: amount,
    currency: "USD",
    paymentMethod: o.paymentMethod ?? "pm_card_visa",
  });
  const now = Date.now();
  await env.DB.prepare(
    `INSERT INTO orders (id, buyer_id, quote_id, payment_method, lines, merchant_ids, subtotal_minor, discount_minor,
       shipping_minor, tax_minor, total_minor, currency, status, status_message, version, cancel_reason, steps,
       created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, 'USD', 'pending', 'We''re processing your order', 1, NULL, '[]', ?, ?)`,
  )
    .bind(
      order.orderId,
      buyer.id,
      newId("qt"),
      order.paymentMethod,
      JSON.stringify([line]),
      JSON.stringify([product.merchantId]),
      amount,
      amount,
      now,
      now,
    )
    .run();
  return order;
}

interface StoredRecord {
  state: OrderSagaState;
  d1Version: number;
  unsynced: unknown[];
}

/** The saga's stored state, read inside the object. */
export const sagaState = (stub: SagaStub) =>
  runInDurableObject(
    stub,
    async (_o: OrderSaga, state) => (await state.storage.get<StoredRecord>("saga")) ?? null,
  );

/**
 * Runs the saga's alarms until it is terminal and D1 has caught up (alarms also fire on their own;
 * either way is fine). Bounded: fails instead of hanging.
 */
export async function settle(stub: SagaStub, maxRounds = 400): Promise<OrderSagaState> {
  for (let i = 0; i < maxRounds; i++) {
    const ran = await runDurableObjectAlarm(stub);
    const record = await sagaState(stub);
    if (
      record &&
      isTerminal(record.state) &&
      record.d1Version === record.state.version &&
      record.unsynced.length === 0
    )
      return record.state;
    if (!ran) await scheduler.wait(5);
  }
  const record = await sagaState(stub);
  throw new Error(
    `saga did not settle: ${JSON.stringify(record?.state.status)} ${JSON.stringify(record?.state.pending)}`,
  );
}

export const stockOf = async (productId: string) =>
  env.DB.prepare("SELECT stock FROM products WHERE id = ?").bind(productId).first<number>("stock");

export const orderRow = (orderId: string) =>
  env.DB.prepare("SELECT status, status_message, version, cancel_reason, steps FROM orders WHERE id = ?")
    .bind(orderId)
    .first<{
      status: string;
      status_message: string;
      version: number;
      cancel_reason: string | null;
      steps: string;
    }>();

export async function outboxOf(orderId: string) {
  const { results } = await env.DB.prepare(
    "SELECT type, envelope FROM outbox WHERE subject = ? ORDER BY created_at, rowid",
  )
    .bind(orderId)
    .all<{ type: string; envelope: string }>();
  return results.map((r) => ({ type: r.type, envelope: JSON.parse(r.envelope) as Record<string, unknown> }));
}

export async function reservationsOf(orderId: string) {
  const { results } = await env.DB.prepare(
    "SELECT product_id, quantity, state FROM inventory_reservations WHERE order_id = ?",
  )
    .bind(orderId)
    .all<{ product_id: string; quantity: number; state: string }>();
  return results;
}

/** What the sandbox payment provider holds for the order. */
export const ledgerOf = (orderId: string) => sandboxLedger(env.PAYMENT_SANDBOX, {}, orderId);

/** A buyer's order row in D1 and its saga started (pending, version 1), the stream's starting point. */
export async function aStartedOrder() {
  const buyer = await createTestUser("buyer");
  const merchant = await createTestUser("merchant");
  const order = await insertOrder(buyer.id, [await insertProduct(merchant.id, { stock: 5 })]);
  const saga = sagaFor(order.id);
  await saga.start(orderDetails(order));
  return { buyer, order, saga };
}
