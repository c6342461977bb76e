import type { ProductRow } from "../catalog/schema";
import { PRICING_CURRENCIES } from "./currencies";
import { PricingError } from "./errors";
import { assertMinor } from "./money";

/** What pricing needs to know about a product: its row, minus what only the catalog cares about. */
export type CatalogProduct = Pick<
  ProductRow,
  "id" | "title" | "category" | "priceMinor" | "currency" | "stock"
>;

export interface CartItem {
  productId: string;
  quantity: number;
}

export interface CartLine {
  product: CatalogProduct;
  quantity: number;
  lineSubtotal: number;
}

/**
 * Merges repeated product ids by adding their quantities (keeping first-appearance order), so a client
 * that sends the same product twice gets one line and one stock check for the combined quantity.
 *
 * @example
 * mergeItems([{ productId: "a", quantity: 1 }, { productId: "a", quantity: 2 }]);
 * // [{ productId: "a", quantity: 3 }]
 */
export function mergeItems(items: readonly CartItem[]): CartItem[] {
  const merged = new Map<string, number>();
  for (const { productId, quantity } of items) {
    if (!Number.isSafeInteger(quantity) || quantity < 1) {
      throw new RangeError(`quantity must be a positive integer, got ${quantity}`);
    }
    merged.set(productId, (merged.get(productId) ?? 0) + quantity);
  }
  return [...merged].map(([productId, quantity]) => ({ productId, quantity }));
}

/**
 * Resolves merged items against the products found for them. Checks run in the order a buyer can fix
 * them: unknown products first (nothing else about them is knowable), then stock, then currency.
 * A quote reserves no stock; checkout checks it again.
 *
 * @example
 * resolveCart([{ productId: "prd_1", quantity: 2 }], [mug]); // { lines: [...], currency: "USD" }
 */
export function resolveCart(
  items: readonly CartItem[],
  products: readonly CatalogProduct[],
): { lines: CartLine[]; currency: string } {
  if (items.length === 0) throw new RangeError("a quote needs at least one item");
  const byId = new Map(products.map((p) => [p.id, p]));

  const unknown = items.filter((i) => !byId.has(i.productId)).map((i) => i.productId);
  if (unknown.length > 0) throw new PricingError({ kind: "unknown-product", productIds: unknown });

  const lines = items.map(({ productId, quantity }) => {
    const product = byId.get(productId)!;
    assertMinor(product.priceMinor, `price of ${productId}`);
    return { product, quantity, lineSubtotal: product.priceMinor * quantity };
  });

  const short = lines
    .filter((l) => l.quantity > l.product.stock)
    .map((l) => ({
      productId: l.product.id,
      requested: l.quantity,
      available: Math.max(0, l.product.stock),
    }));
  if (short.length > 0) throw new PricingError({ kind: "insufficient-stock", items: short });

  const currencies = [...new Set(lines.map((l) => l.product.currency))];
  if (currencies.length > 1) throw new PricingError({ kind: "mixed-currency", currencies });
  const currency = currencies[0]!;
  if (!(PRICING_CURRENCIES as readonly string[]).includes(currency)) {
    throw new PricingError({ kind: "unsupported-currency", currency, supported: [...PRICING_CURRENCIES] });
  }
  return { lines, currency };
}
