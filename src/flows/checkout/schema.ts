/**
 * Checkout: the order (write model, updated by the order's saga in the same D1 batch as the facts it
 * publishes), the buyer's order list and the merchants' order desk (read models fed by those facts),
 * and inventory reservations.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { OrderLine } from "./schemas";

export const ORDER_STATUSES = [
  "pending",
  "confirmed",
  "cancelling",
  "cancelled",
  "refunding",
  "refunded",
] as const;

export const orders = sqliteTable(
  "orders",
  {
    id: text("id").primaryKey(),
    buyerId: text("buyer_id").notNull(),
    // One order per quote: a quote is a price promise, honoured once.
    quoteId: text("quote_id").notNull().unique(),
    paymentMethod: text("payment_method").notNull(),
    /** The quote's priced lines, each with its merchant (checkout's `OrderLineSchema`). */
    lines: text("lines", { mode: "json" }).$type<OrderLine[]>().notNull(),
    merchantIds: text("merchant_ids", { mode: "json" }).$type<string[]>().notNull(),
    subtotalMinor: integer("subtotal_minor").notNull(),
    discountMinor: integer("discount_minor").notNull(),
    shippingMinor: integer("shipping_minor").notNull(),
    taxMinor: integer("tax_minor").notNull(),
    totalMinor: integer("total_minor").notNull(),
    currency: text("currency").notNull(),
    status: text("status", { enum: ORDER_STATUSES }).notNull(),
    statusMessage: text("status_message").notNull(),
    /** The saga's version: +1 per fact; the read model's consistency token compares against it. */
    version: integer("version").notNull(),
    cancelReason: text("cancel_reason", { mode: "json" }),
    steps: text("steps", { mode: "json" }).notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("orders_buyer_idx").on(t.buyerId, t.createdAt),
    // The stuck-order scan: orders not yet terminal that stopped moving, oldest first.
    index("orders_status_updated_idx").on(t.status, t.updatedAt),
  ],
);

/** GET /v1/orders: the buyer's orders, written only by the order-projection consumer. */
export const orderViews = sqliteTable(
  "order_views",
  {
    id: text("id").primaryKey(),
    buyerId: text("buyer_id").notNull(),
    status: text("status", { enum: ORDER_STATUSES }).notNull(),
    statusMessage: text("status_message").notNull(),
    totalMinor: integer("total_minor").notNull(),
    currency: text("currency").notNull(),
    itemCount: integer("item_count").notNull(),
    version: integer("version").notNull(),
    placedAt: integer("placed_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("order_views_buyer_idx").on(t.buyerId, t.placedAt, t.id)],
);

/** A line of an order as its merchant sees it: the merchant's own, priced as the buyer was charged. */
export interface MerchantOrderLine {
  productId: string;
  title: string;
  quantity: number;
  unitPriceMinor: number;
  /** unitPrice × quantity − the line's discount. */
  lineTotalMinor: number;
}

/**
 * GET /v1/merchant/orders: one row per order and merchant with a line in it, holding only that
 * merchant's lines and subtotal; written only by the merchant-orders consumer.
 */
export const merchantOrders = sqliteTable(
  "merchant_orders",
  {
    orderId: text("order_id").notNull(),
    merchantId: text("merchant_id").notNull(),
    status: text("status", { enum: ORDER_STATUSES }).notNull(),
    lines: text("lines", { mode: "json" }).$type<MerchantOrderLine[]>().notNull(),
    subtotalMinor: integer("subtotal_minor").notNull(),
    currency: text("currency").notNull(),
    /** The order row's version when read: a row only ever moves to a higher one. */
    version: integer("version").notNull(),
    placedAt: integer("placed_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.merchantId] }),
    // The desk's list, newest first, with or without its status filter.
    index("merchant_orders_placed_idx").on(t.merchantId, t.placedAt, t.orderId),
    index("merchant_orders_status_idx").on(t.merchantId, t.status, t.placedAt, t.orderId),
  ],
);

export const RESERVATION_STATES = ["reserved", "released", "sold", "restocked"] as const;

/**
 * Stock held for an order, one row per product. Reserving decrements products.stock in the same batch
 * (a trigger refuses stock below zero, so the last unit goes to exactly one order); releasing and
 * restocking add it back only from rows still in the matching state, so each runs at most once.
 */
export const inventoryReservations = sqliteTable(
  "inventory_reservations",
  {
    orderId: text("order_id").notNull(),
    productId: text("product_id").notNull(),
    quantity: integer("quantity").notNull(),
    state: text("state", { enum: RESERVATION_STATES }).notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.productId] })],
);
