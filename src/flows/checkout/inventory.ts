import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../platform/db/client";
import { products } from "../catalog/schema";
import type { CheckoutLine, StepError } from ".";
import { inventoryReservations } from "./schema";

/** An effect that failed in a way the saga understands; anything else thrown counts as transient. */
export class StepFailure extends Error {
  constructor(readonly error: StepError) {
    super(error.message);
    this.name = "StepFailure";
  }
}

/** One quantity per product: a reservation row is keyed by (order, product). */
function quantitiesByProduct(lines: readonly CheckoutLine[]): Map<string, number> {
  const byProduct = new Map<string, number>();
  for (const l of lines) byProduct.set(l.productId, (byProduct.get(l.productId) ?? 0) + l.quantity);
  return byProduct;
}

async function hasReservation(db: Db, orderId: string): Promise<boolean> {
  const rows = await db
    .select({ productId: inventoryReservations.productId })
    .from(inventoryReservations)
    .where(eq(inventoryReservations.orderId, orderId))
    .limit(1);
  return rows.length > 0;
}

/**
 * Sets the order's items aside: one batch inserts a reservation row per product and decrements its
 * stock, so both happen or neither. The stock trigger aborts the whole batch when a product would go
 * below zero (the last unit goes to exactly one order). A retry after a lost answer finds its rows (the
 * batch committed, or the key's primary key refused a second copy) and succeeds without decrementing again.
 *
 * @example
 * await reserveInventory(db, "ord_1", order.lines, Date.now()); // throws StepFailure "out-of-stock"
 */
export async function reserveInventory(db: Db, orderId: string, lines: readonly CheckoutLine[], now: number) {
  const quantities = [...quantitiesByProduct(lines)];
  const ids = quantities.map(([id]) => id);
  // One read: whether this order already holds its items (a retry) and how many of them still exist.
  const [held, known] = await db.batch([
    db
      .select({ productId: inventoryReservations.productId })
      .from(inventoryReservations)
      .where(eq(inventoryReservations.orderId, orderId))
      .limit(1),
    db.select({ id: products.id }).from(products).where(inArray(products.id, ids)),
  ]);
  if (held.length > 0) return;
  if (known.length !== ids.length) {
    throw new StepFailure({
      kind: "permanent",
      code: "item-unavailable",
      message: "an ordered product no longer exists",
    });
  }
  const inserts = quantities.map(([productId, quantity]) =>
    db
      .insert(inventoryReservations)
      .values({ orderId, productId, quantity, state: "reserved", updatedAt: now }),
  );
  const decrements = quantities.map(([productId, quantity]) =>
    db
      .update(products)
      .set({ stock: sql`${products.stock} - ${quantity}` })
      .where(eq(products.id, productId)),
  );
  const [first, ...rest] = [...inserts, ...decrements];
  try {
    await db.batch([first!, ...rest]);
  } catch (err) {
    if (await hasReservation(db, orderId)) return;
    if (String((err as Error)?.message ?? err).includes("insufficient_stock")) {
      throw new StepFailure({ kind: "permanent", code: "out-of-stock", message: "not enough stock" });
    }
    throw err;
  }
}

type Transition = { from: "reserved"; to: "released" } | { from: "sold"; to: "restocked" };

/**
 * Adds back the quantities of the order's rows still in `from`, and flips them to `to`, in one batch:
 * a second run finds no row in `from` and changes nothing, so release and restock are idempotent.
 */
async function giveBack(db: Db, orderId: string, { from, to }: Transition, now: number) {
  const held = and(eq(inventoryReservations.orderId, orderId), eq(inventoryReservations.state, from));
  const quantity = db
    .select({ q: inventoryReservations.quantity })
    .from(inventoryReservations)
    .where(and(held, eq(inventoryReservations.productId, products.id)));
  const productIds = db
    .select({ id: inventoryReservations.productId })
    .from(inventoryReservations)
    .where(held);
  await db.batch([
    db
      .update(products)
      .set({ stock: sql`${products.stock} + (${quantity})` })
      .where(inArray(products.id, productIds)),
    db.update(inventoryReservations).set({ state: to, updatedAt: now }).where(held),
  ]);
}

/** Puts back what a cancelled order holds; nothing reserved (a blind release) changes nothing. */
export const releaseInventory = (db: Db, orderId: string, now: number) =>
  giveBack(db, orderId, { from: "reserved", to: "released" }, now);

/** Puts a refunded order's sold items back into stock, once. */
export const restockInventory = (db: Db, orderId: string, now: number) =>
  giveBack(db, orderId, { from: "sold", to: "restocked" }, now);

/**
 * Confirms the order's reservation: its rows become `sold` (restock reads them later). Confirming again
 * succeeds; an order that holds nothing any more (released behind the saga's back) cannot be confirmed.
 */
export async function confirmReservation(db: Db, orderId: string, now: number) {
  const mine = eq(inventoryReservations.orderId, orderId);
  // One round trip: the flip and the check that something is sold, in one batch.
  const [, sold] = await db.batch([
    db
      .update(inventoryReservations)
      .set({ state: "sold", updatedAt: now })
      .where(and(mine, eq(inventoryReservations.state, "reserved"))),
    db
      .select({ productId: inventoryReservations.productId })
      .from(inventoryReservations)
      .where(and(mine, eq(inventoryReservations.state, "sold")))
      .limit(1),
  ]);
  if (sold.length === 0) {
    throw new StepFailure({
      kind: "permanent",
      code: "reservation-missing",
      message: "the order holds no reserved items",
    });
  }
}
