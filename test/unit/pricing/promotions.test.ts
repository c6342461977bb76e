import { describe, expect, it } from "vitest";
import { evaluatePromotion, findPromotion } from "../../../src/flows/pricing/promotions";
import { DAY, NOW, problemOf, promotion } from "./builders";

const mugs = (lineSubtotal: number) => ({ category: "kitchen", lineSubtotal });
const books = (lineSubtotal: number) => ({ category: "books", lineSubtotal });

describe("evaluatePromotion", () => {
  it("given a 10% code, when the cart is 25.00 + 14.99, then it takes 3.999 → 4.00 off, split by subtotal", () => {
    const applied = evaluatePromotion(promotion({ code: "TEN" }), [mugs(2500), books(1499)], NOW);
    expect(applied).toEqual({ code: "TEN", discount: 400, lineDiscounts: [250, 150] });
  });

  it("given a fixed 5.00 code, when the cart is 30.00, then 5.00 comes off", () => {
    const fixed = promotion({ code: "FIVE", kind: "fixed", value: 500 });
    expect(evaluatePromotion(fixed, [mugs(1000), mugs(2000)], NOW)).toMatchObject({
      discount: 500,
      lineDiscounts: [167, 333],
    });
  });

  it("given a fixed code worth more than the cart, then the discount stops at the cart's subtotal", () => {
    const big = promotion({ code: "BIG", kind: "fixed", value: 10_000 });
    expect(evaluatePromotion(big, [mugs(800)], NOW)).toMatchObject({ discount: 800, lineDiscounts: [800] });
  });

  it("given a minimum subtotal of 50.00, when the cart is 49.99, then the code is not applicable", () => {
    const min = promotion({ code: "MIN50", minSubtotalMinor: 5000 });
    expect(problemOf(() => evaluatePromotion(min, [mugs(4999)], NOW))).toEqual({
      kind: "promo-code-not-applicable",
      code: "MIN50",
      reason: "min-subtotal-not-met",
      minSubtotal: 5000,
      subtotal: 4999,
    });
    expect(evaluatePromotion(min, [mugs(5000)], NOW).discount).toBe(500);
  });

  it("given a books-only code, then only book lines are discounted", () => {
    const booksOnly = promotion({ code: "READ", value: 2000, category: "books" });
    expect(evaluatePromotion(booksOnly, [mugs(5000), books(1000)], NOW)).toMatchObject({
      discount: 200,
      lineDiscounts: [0, 200],
    });
  });

  it("given a books-only code, when the cart has no books, then it is not applicable", () => {
    const booksOnly = promotion({ code: "READ", category: "books" });
    expect(problemOf(() => evaluatePromotion(booksOnly, [mugs(5000)], NOW))).toMatchObject({
      kind: "promo-code-not-applicable",
      reason: "no-eligible-items",
      category: "books",
    });
  });

  it("given a books-only code, when the only book is free, then it applies for a zero discount", () => {
    const booksOnly = promotion({ code: "READ", category: "books" });
    expect(evaluatePromotion(booksOnly, [mugs(5000), books(0)], NOW)).toMatchObject({
      discount: 0,
      lineDiscounts: [0, 0],
    });
  });

  it("given an expired code, then it is refused as expired, from the expiry instant on", () => {
    const old = promotion({ code: "OLD", expiresAt: NOW });
    expect(problemOf(() => evaluatePromotion(old, [mugs(1000)], NOW))).toEqual({
      kind: "promo-code-expired",
      code: "OLD",
      expiredAt: NOW,
    });
    expect(evaluatePromotion(old, [mugs(1000)], NOW - 1).discount).toBe(100);
  });

  it("given a code that starts tomorrow, then it is not applicable yet, and applies from its start", () => {
    const soon = promotion({ code: "SOON", startsAt: NOW + DAY });
    expect(problemOf(() => evaluatePromotion(soon, [mugs(1000)], NOW))).toEqual({
      kind: "promo-code-not-applicable",
      code: "SOON",
      reason: "not-started",
    });
    expect(evaluatePromotion(soon, [mugs(1000)], NOW + DAY).discount).toBe(100);
  });

  it("clamps stored values outside their range", () => {
    const over = promotion({ code: "OVER", value: 25_000 });
    expect(evaluatePromotion(over, [mugs(1000)], NOW).discount).toBe(1000);
    const negative = promotion({ code: "NEG", kind: "fixed", value: -500 });
    expect(evaluatePromotion(negative, [mugs(1000)], NOW).discount).toBe(0);
  });
});

describe("findPromotion", () => {
  it("matches case-insensitively and returns the code as stored", () => {
    expect(findPromotion("summer10", [promotion({ code: "SUMMER10" })]).code).toBe("SUMMER10");
  });

  it("prefers the exact spelling when codes differ only in case", () => {
    const both = [promotion({ code: "Save" }), promotion({ code: "SAVE" })];
    expect(findPromotion("SAVE", both).code).toBe("SAVE");
    expect(findPromotion("save", both).code).toBe("SAVE");
  });

  it("reports an unknown code", () => {
    expect(problemOf(() => findPromotion("NOPE", []))).toEqual({ kind: "promo-code-unknown", code: "NOPE" });
  });
});
