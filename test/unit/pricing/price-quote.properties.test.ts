import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type PricedQuote, priceQuote, type QuoteInput } from "../../../src/flows/pricing/price-quote";
import { cartArb, countryArb, NOW, promotionArb } from "./builders";

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** A random cart, destination and maybe a promotion; skips promotions that do not apply to the cart. */
const quoteInputArb = fc
  .record({ cart: cartArb, country: countryArb, promo: fc.option(promotionArb, { nil: undefined }) })
  .map(
    ({ cart, country, promo }): QuoteInput => ({
      ...cart,
      country,
      now: NOW,
      ...(promo && { promoCode: promo.code, promotions: [promo] }),
    }),
  )
  .filter((input) => {
    const promo = input.promotions?.[0];
    if (!promo?.category) return true;
    const categoryOf = new Map(input.products.map((p) => [p.id, p.category]));
    return input.items.some((i) => categoryOf.get(i.productId) === promo.category);
  });

const amounts = (q: PricedQuote) => [
  q.subtotal,
  q.discount,
  q.shipping,
  q.tax,
  q.total,
  ...q.lines.flatMap((l) => [l.unitPrice, l.lineSubtotal, l.discount, l.tax, l.total]),
];

describe("priceQuote invariants", () => {
  it("total = subtotal − discount + shipping + tax", () => {
    fc.assert(
      fc.property(quoteInputArb, (input) => {
        const q = priceQuote(input);
        expect(q.total).toBe(q.subtotal - q.discount + q.shipping + q.tax);
      }),
    );
  });

  it("every amount is a non-negative integer", () => {
    fc.assert(
      fc.property(quoteInputArb, (input) => {
        for (const a of amounts(priceQuote(input))) {
          expect(Number.isSafeInteger(a)).toBe(true);
          expect(a).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  it("lines add up to the quote: subtotals, discounts, taxes and totals", () => {
    fc.assert(
      fc.property(quoteInputArb, (input) => {
        const q = priceQuote(input);
        expect(sum(q.lines.map((l) => l.lineSubtotal))).toBe(q.subtotal);
        expect(sum(q.lines.map((l) => l.discount))).toBe(q.discount);
        expect(sum(q.lines.map((l) => l.tax))).toBe(q.tax);
        expect(sum(q.lines.map((l) => l.total))).toBe(q.total - q.shipping);
        for (const l of q.lines) {
          expect(l.lineSubtotal).toBe(l.unitPrice * l.quantity);
          expect(l.discount).toBeLessThanOrEqual(l.lineSubtotal);
          expect(l.total).toBe(l.lineSubtotal - l.discount + l.tax);
        }
      }),
    );
  });

  it("the discount never exceeds the eligible subtotal, and only eligible lines get any", () => {
    fc.assert(
      fc.property(quoteInputArb, (input) => {
        const q = priceQuote(input);
        const category = input.promotions?.[0]?.category ?? null;
        const eligible = q.lines.filter((l) => category === null || l.category === category);
        expect(q.discount).toBeLessThanOrEqual(sum(eligible.map((l) => l.lineSubtotal)));
        for (const l of q.lines) if (!eligible.includes(l)) expect(l.discount).toBe(0);
      }),
    );
  });

  it("rounds consistently: the same cart twice, or reordered, prices identically line for line", () => {
    fc.assert(
      fc.property(quoteInputArb, fc.nat(), (input, seed) => {
        const first = priceQuote(input);
        expect(priceQuote(input)).toEqual(first);
        const shuffled = [...input.items].sort(
          (a, b) => hash(a.productId, seed) - hash(b.productId, seed) || (a.productId < b.productId ? -1 : 1),
        );
        const again = priceQuote({ ...input, items: shuffled, products: [...input.products].reverse() });
        const byId = (q: PricedQuote) => Object.fromEntries(q.lines.map((l) => [l.productId, l]));
        expect({ ...again, lines: byId(again) }).toEqual({ ...first, lines: byId(first) });
      }),
    );
  });

  it("splitting a line into repeated items changes nothing", () => {
    fc.assert(
      fc.property(quoteInputArb, (input) => {
        const split = input.items.flatMap((i) =>
          i.quantity > 1
            ? [
                { productId: i.productId, quantity: 1 },
                { productId: i.productId, quantity: i.quantity - 1 },
              ]
            : [i],
        );
        expect(priceQuote({ ...input, items: split })).toEqual(priceQuote(input));
      }),
    );
  });
});

/** A cheap deterministic shuffle key, so the reorder is driven by fast-check's seed and shrinks. */
function hash(s: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16_777_619);
  return h;
}
