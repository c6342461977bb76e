import { inArray } from "drizzle-orm";
import type { Db } from "../../platform/db/client";
import { products } from "../catalog/schema";
import type { OrderRow } from "./order-view";
import type { OrderLine } from "./schemas";

/** A stored order line with what the merchants' read models add: the SKU and what the line sold for. */
export type SoldOrderLine = OrderLine & {
  /** The product's SKU, or null when the product is gone from the catalog. */
  sku: string | null;
  /** What the line sold for: unitPrice × quantity − discount (tax and shipping aside). */
  amountMinor: number;
};

/**
 * The order row's lines with each product's SKU from the catalog: what the read models that list
 * lines per merchant (sales-lines, merchant-orders) both start from.
 *
 * @example
 * const lines = await orderLinesOf(db, row); // [{ productId, merchantId, title, sku, quantity, … }]
 */
export async function orderLinesOf(db: Db, row: OrderRow): Promise<SoldOrderLine[]> {
  const ids = [...new Set(row.lines.map((l) => l.productId))];
  const skus = new Map(
    (
      await db.select({ id: products.id, sku: products.sku }).from(products).where(inArray(products.id, ids))
    ).map((p) => [p.id, p.sku]),
  );
  return row.lines.map((l) => ({
    ...l,
    sku: skus.get(l.productId) ?? null,
    amountMinor: l.unitPrice * l.quantity - l.discount,
  }));
}
