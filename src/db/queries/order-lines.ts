import { inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../client";
import { products } from "../schema";
import type { OrderRow } from "./order-view";

/**
 * An order line as stored on the `orders` row: the quote's priced line plus its merchant. Orders written
 * before lines carried titles and discounts (and the saga's own test orders) may lack them.
 */
const StoredLine = z.object({
  productId: z.string(),
  merchantId: z.string(),
  quantity: z.number().int().positive(),
  unitPrice: z.number().int().nonnegative(),
  title: z.string().optional(),
  discount: z.number().int().nonnegative().optional(),
  tax: z.number().int().nonnegative().optional(),
});

/** A stored line with the catalog's help: a title always, the product's SKU when it has one. */
export type OrderLine = z.infer<typeof StoredLine> & {
  title: string;
  sku: string | null;
  discount: number;
  /** What the line sold for: unitPrice × quantity − discount (tax and shipping aside). */
  amountMinor: number;
};

/**
 * The order row's lines, completed from the catalog where a line lacks a title (the product id when the
 * product is gone too): what the read models that list lines per merchant (sales-lines, merchant-orders)
 * both start from.
 *
 * @example
 * const lines = await orderLinesOf(db, row); // [{ productId, merchantId, title, sku, quantity, … }]
 */
export async function orderLinesOf(db: Db, row: OrderRow): Promise<OrderLine[]> {
  const lines = z.array(StoredLine).parse(row.lines);
  const ids = [...new Set(lines.map((l) => l.productId))];
  const catalog = new Map(
    (
      await db
        .select({ id: products.id, sku: products.sku, title: products.title })
        .from(products)
        .where(inArray(products.id, ids))
    ).map((p) => [p.id, p]),
  );
  return lines.map((l) => ({
    ...l,
    title: l.title ?? catalog.get(l.productId)?.title ?? l.productId,
    sku: catalog.get(l.productId)?.sku ?? null,
    discount: l.discount ?? 0,
    amountMinor: l.unitPrice * l.quantity - (l.discount ?? 0),
  }));
}
