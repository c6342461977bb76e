import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { orderViewOf } from "../../src/flows/checkout/order-view";
import { orders, orderViews } from "../../src/flows/checkout/schema";
import { type QuoteRow, quotes } from "../../src/flows/pricing/schema";
import { getDb } from "../../src/platform/db/client";
import { shardBindings, shardFor } from "../../src/platform/db/shards";
import { newId } from "../../src/platform/ids";
import { newOrder, type OrderRow } from "../../src/routes/checkout/orders/order-record";
import type { TestProduct } from "./products";

/**
 * Stores a quote straight into D1, one line per product (quantity 1 each by default), as POST
 * /v1/quotes would have priced it. `expiresAt` in the past makes an expired quote.
 */
export async function insertQuote(
  userId: string,
  items: { product: TestProduct; quantity?: number }[],
  overrides: Partial<QuoteRow> = {},
): Promise<QuoteRow> {
  const now = Date.now();
  const lines = items.map(({ product, quantity = 1 }) => {
    const lineSubtotal = product.priceMinor * quantity;
    return {
      productId: product.id,
      title: product.title,
      category: product.category,
      quantity,
      unitPrice: product.priceMinor,
      lineSubtotal,
      discount: 0,
      tax: 0,
      total: lineSubtotal,
    };
  });
  const subtotal = lines.reduce((n, l) => n + l.lineSubtotal, 0);
  const row: QuoteRow = {
    id: newId("qt", now),
    userId,
    currency: "USD",
    shipToCountry: "US",
    promoCode: null,
    lines,
    subtotalMinor: subtotal,
    discountMinor: 0,
    shippingMinor: 500,
    taxMinor: 0,
    totalMinor: subtotal + 500,
    createdAt: now,
    expiresAt: now + 900_000,
    ...overrides,
  };
  await getDb(env.DB).insert(quotes).values(row);
  return row;
}

/**
 * An order's row written straight into D1 without its outbox fact, so no consumer hears of it: the
 * tests decide when (and whether) the projection runs. `patch` sets what a saga would have moved.
 */
export async function insertOrder(
  buyerId: string,
  products: TestProduct[],
  patch: Partial<OrderRow> = {},
): Promise<OrderRow> {
  const quote = await insertQuote(
    buyerId,
    products.map((product) => ({ product })),
  );
  const merchantOf = new Map(products.map((p) => [p.id, p.merchantId]));
  const { row } = newOrder(quote, merchantOf, {
    id: newId("ord"),
    buyerId,
    paymentMethod: "pm_card_visa",
    now: Date.now(),
  });
  const order = { ...row, ...patch };
  await getDb(env.DB).insert(orders).values(order);
  return order;
}

/** Moves an order's row as its saga would (without publishing anything). */
export async function updateOrder(id: string, patch: Partial<OrderRow>) {
  await getDb(env.DB).update(orders).set(patch).where(eq(orders.id, id));
}

/** Writes the read model's row for an order as it is now, as the projection would: in the buyer's shard. */
export async function insertView(order: OrderRow) {
  await shardFor(env, order.buyerId).insert(orderViews).values(orderViewOf(order));
}

interface ViewRow {
  status: string;
  version: number;
  status_message: string;
  item_count: number;
  total_minor: number;
}

/** The order's rows in `order_views` of every shard: a test sees a view written to the wrong one. */
export async function viewsOf(id: string): Promise<ViewRow[]> {
  const found: ViewRow[] = [];
  for (const db of shardBindings(env)) {
    const { results } = await db.prepare("SELECT * FROM order_views WHERE id = ?").bind(id).all<ViewRow>();
    found.push(...results);
  }
  return found;
}

/** The order's view, wherever it is; `null` when no shard has it. */
export async function viewOf(id: string): Promise<ViewRow | null> {
  return (await viewsOf(id))[0] ?? null;
}

export async function countOrders(where: { buyerId: string }): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM orders WHERE buyer_id = ?")
    .bind(where.buyerId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}
