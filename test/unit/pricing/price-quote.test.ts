import { describe, expect, it } from "vitest";
import { priceQuote } from "../../../src/flows/pricing/price-quote";
import { NOW, problemOf, product, promotion } from "./builders";

const mug = product({ id: "prd_mug", title: "Mug", category: "kitchen", priceMinor: 1250, stock: 10 });
const book = product({ id: "prd_book", title: "Book", category: "books", priceMinor: 1999, stock: 5 });
const base = { products: [mug, book], country: "US", now: NOW };

describe("priceQuote", () => {
  it("given two mugs and a book to the US, then it adds up subtotal, shipping and 7.25% tax", () => {
    const quote = priceQuote({
      ...base,
      items: [
        { productId: "prd_mug", quantity: 2 },
        { productId: "prd_book", quantity: 1 },
      ],
    });
    // subtotal 2500 + 1999 = 4499; tax 4499 × 7.25% = 326.1775 → 326; under 50.00 so 4.99 shipping.
    expect(quote).toMatchObject({ subtotal: 4499, discount: 0, shipping: 499, tax: 326, total: 5324 });
    expect(quote.currency).toBe("USD");
    expect(quote.promoCode).toBeNull();
    expect(quote.lines).toEqual([
      {
        productId: "prd_mug",
        title: "Mug",
        category: "kitchen",
        quantity: 2,
        unitPrice: 1250,
        lineSubtotal: 2500,
        discount: 0,
        tax: 181,
        total: 2681,
      },
      {
        productId: "prd_book",
        title: "Book",
        category: "books",
        quantity: 1,
        unitPrice: 1999,
        lineSubtotal: 1999,
        discount: 0,
        tax: 145,
        total: 2144,
      },
    ]);
  });

  it("given a 10% code typed in lower case, then the discount lowers the taxable amount, not shipping", () => {
    const quote = priceQuote({
      ...base,
      items: [{ productId: "prd_mug", quantity: 4 }],
      promoCode: "ten",
      promotions: [promotion({ code: "TEN" })],
      country: "DE",
    });
    // 5000 − 500 = 4500 goods; 19% of 4500 = 855; Europe ships at 19.99, untaxed.
    expect(quote).toMatchObject({
      subtotal: 5000,
      discount: 500,
      shipping: 1999,
      tax: 855,
      total: 7354,
      promoCode: "TEN",
    });
  });

  it("given a discount that takes a domestic cart below 50.00, then free shipping is lost", () => {
    const quote = priceQuote({
      ...base,
      items: [{ productId: "prd_mug", quantity: 4 }],
      promoCode: "TEN",
      promotions: [promotion({ code: "TEN" })],
    });
    expect(quote).toMatchObject({ subtotal: 5000, discount: 500, shipping: 499 });
  });

  it("given the same product twice, then the quantities are merged into one line", () => {
    const quote = priceQuote({
      ...base,
      items: [
        { productId: "prd_mug", quantity: 1 },
        { productId: "prd_book", quantity: 1 },
        { productId: "prd_mug", quantity: 2 },
      ],
    });
    expect(quote.lines.map((l) => [l.productId, l.quantity])).toEqual([
      ["prd_mug", 3],
      ["prd_book", 1],
    ]);
  });

  it("given unknown products, then it names every one of them", () => {
    const problem = problemOf(() =>
      priceQuote({
        ...base,
        items: [
          { productId: "prd_nope", quantity: 1 },
          { productId: "prd_mug", quantity: 1 },
          { productId: "prd_gone", quantity: 1 },
        ],
      }),
    );
    expect(problem).toEqual({ kind: "unknown-product", productIds: ["prd_nope", "prd_gone"] });
  });

  it("given more than in stock (after merging), then it reports requested and available", () => {
    const problem = problemOf(() =>
      priceQuote({
        ...base,
        items: [
          { productId: "prd_book", quantity: 3 },
          { productId: "prd_book", quantity: 3 },
        ],
      }),
    );
    expect(problem).toEqual({
      kind: "insufficient-stock",
      items: [{ productId: "prd_book", requested: 6, available: 5 }],
    });
  });

  it("given products in two currencies, then the cart is refused", () => {
    const euro = product({ id: "prd_eur", currency: "EUR" });
    const problem = problemOf(() =>
      priceQuote({
        ...base,
        products: [mug, euro],
        items: [
          { productId: "prd_mug", quantity: 1 },
          { productId: "prd_eur", quantity: 1 },
        ],
      }),
    );
    expect(problem).toEqual({ kind: "mixed-currency", currencies: ["USD", "EUR"] });
  });

  it("given a cart only in a currency shipping is not priced in, then the currency is unsupported", () => {
    const euro = product({ id: "prd_eur", currency: "EUR" });
    const problem = problemOf(() =>
      priceQuote({ ...base, products: [euro], items: [{ productId: "prd_eur", quantity: 1 }] }),
    );
    expect(problem).toMatchObject({ kind: "unsupported-currency", currency: "EUR", supported: ["USD"] });
  });

  it("given a destination we do not serve, then it is unsupported", () => {
    const problem = problemOf(() =>
      priceQuote({ ...base, items: [{ productId: "prd_mug", quantity: 1 }], country: "BR" }),
    );
    expect(problem).toMatchObject({ kind: "unsupported-destination", country: "BR" });
  });

  it("given a code but no matching promotion, then the code is unknown", () => {
    const problem = problemOf(() =>
      priceQuote({
        ...base,
        items: [{ productId: "prd_mug", quantity: 1 }],
        promoCode: "NOPE",
        promotions: [],
      }),
    );
    expect(problem).toEqual({ kind: "promo-code-unknown", code: "NOPE" });
  });
});
