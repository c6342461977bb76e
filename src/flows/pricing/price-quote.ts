import { codePointOrder } from "../../platform/code-point-order";
import { type CartItem, type CartLine, type CatalogProduct, mergeItems, resolveCart } from "./cart";
import { allocate, assertMinor, sumMinor } from "./money";
import { evaluatePromotion, findPromotion, type Promotion } from "./promotions";
import { shippingFor } from "./shipping";
import { supportedCountry, taxFor } from "./tax";

export interface QuoteInput {
  items: readonly CartItem[];
  /** The products found for the items' ids; an id with no product here is an unknown product. */
  products: readonly CatalogProduct[];
  promoCode?: string;
  /** The promotions loaded for `promoCode` (case-insensitive candidates); ignored without a code. */
  promotions?: readonly Promotion[];
  /** ISO 3166-1 alpha-2, upper-case. */
  country: string;
  /** Epoch ms; decides whether the promotion is active. */
  now: number;
}

export interface PricedLine {
  productId: string;
  title: string;
  category: string;
  quantity: number;
  unitPrice: number;
  lineSubtotal: number;
  discount: number;
  tax: number;
  /** lineSubtotal − discount + tax; shipping belongs to the quote, not to a line. */
  total: number;
}

export interface PricedQuote {
  lines: PricedLine[];
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
  currency: string;
  /** The applied promotion's code as stored, or null. */
  promoCode: string | null;
}

/**
 * Prices a cart. Pure: the caller loads products and promotions and injects `now`.
 *
 * - Repeated product ids are merged; lines come back in the order each product first appeared.
 * - Rounding happens once per aggregate: the discount (percentage) and the tax are each rounded half-up
 *   on the cart amount, then split over lines by largest remainder, so line amounts always sum to the
 *   quote's and the totals do not depend on how the cart is split. Allocation runs over lines sorted
 *   by product id, so reordering a request changes nothing, not even which line gets a leftover cent.
 * - Tax is charged on goods after discount and NOT on shipping (shipping is treated as a separately
 *   stated delivery charge, as most US states do); EU-style VAT on shipping would change this.
 * - total = subtotal − discount + shipping + tax, every amount a non-negative integer.
 *
 * @throws PricingError for anything the buyer can fix (unknown product, stock, promo, destination).
 * @example
 * priceQuote({ items: [{ productId: "prd_1", quantity: 2 }], products: [mug], country: "US", now });
 */
export function priceQuote(input: QuoteInput): PricedQuote {
  const { lines: requestOrder, currency } = resolveCart(mergeItems(input.items), input.products);
  const country = supportedCountry(input.country);

  const order = requestOrder.map((_, i) => i);
  order.sort((a, b) => codePointOrder(requestOrder[a]!.product.id, requestOrder[b]!.product.id));
  const lines: CartLine[] = order.map((i) => requestOrder[i]!);

  const subtotal = sumMinor(lines.map((l) => l.lineSubtotal));
  const discountable = lines.map((l) => ({ category: l.product.category, lineSubtotal: l.lineSubtotal }));
  const promotion =
    input.promoCode === undefined
      ? null
      : evaluatePromotion(findPromotion(input.promoCode, input.promotions ?? []), discountable, input.now);
  const lineDiscounts = promotion?.lineDiscounts ?? lines.map(() => 0);
  const discount = promotion?.discount ?? 0;

  const goodsAfterDiscount = subtotal - discount;
  const tax = taxFor(goodsAfterDiscount, country);
  const lineTaxes = allocate(
    tax,
    lines.map((l, i) => l.lineSubtotal - lineDiscounts[i]!),
  );
  const shipping = shippingFor({
    country,
    goodsAfterDiscount,
    lines: lines.map((l) => ({ category: l.product.category, quantity: l.quantity })),
  });

  const priced = lines.map((l, i): PricedLine => {
    const lineDiscount = lineDiscounts[i]!;
    const lineTax = lineTaxes[i]!;
    return {
      productId: l.product.id,
      title: l.product.title,
      category: l.product.category,
      quantity: l.quantity,
      unitPrice: l.product.priceMinor,
      lineSubtotal: l.lineSubtotal,
      discount: lineDiscount,
      tax: lineTax,
      total: l.lineSubtotal - lineDiscount + lineTax,
    };
  });
  const total = goodsAfterDiscount + shipping + tax;
  // Past 2^53 integer sums stop being exact; refuse rather than quote a wrong price.
  assertMinor(total, "quote total");

  const inRequestOrder: PricedLine[] = new Array(priced.length);
  order.forEach((original, k) => {
    inRequestOrder[original] = priced[k]!;
  });
  return {
    lines: inRequestOrder,
    subtotal,
    discount,
    shipping,
    tax,
    total,
    currency,
    promoCode: promotion?.code ?? null,
  };
}
