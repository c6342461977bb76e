import { describe, expect, it } from "vitest";
import {
  FREE_DOMESTIC_SHIPPING_FROM,
  HEAVY_SURCHARGE_PER_UNIT,
  shippingFor,
} from "../../../src/flows/pricing/shipping";

const mugs = [{ category: "kitchen", quantity: 2 }];

describe("shipping rules", () => {
  it("given a domestic cart under 50.00, then it pays the 4.99 flat rate", () => {
    expect(shippingFor({ country: "US", goodsAfterDiscount: 4999, lines: mugs })).toBe(499);
  });

  it("given a domestic cart of exactly 50.00 after discount, then shipping is free", () => {
    expect(FREE_DOMESTIC_SHIPPING_FROM).toBe(5000);
    expect(shippingFor({ country: "US", goodsAfterDiscount: 5000, lines: mugs })).toBe(0);
  });

  it("given an international cart, then it pays its zone's rate however large it is", () => {
    expect(shippingFor({ country: "CA", goodsAfterDiscount: 100_000, lines: mugs })).toBe(1299);
    expect(shippingFor({ country: "DE", goodsAfterDiscount: 100, lines: mugs })).toBe(1999);
    expect(shippingFor({ country: "AU", goodsAfterDiscount: 100, lines: mugs })).toBe(2499);
  });

  it("given heavy items, then each unit adds a surcharge that free shipping does not waive", () => {
    const lines = [...mugs, { category: "furniture", quantity: 3 }];
    expect(shippingFor({ country: "US", goodsAfterDiscount: 9000, lines })).toBe(
      3 * HEAVY_SURCHARGE_PER_UNIT,
    );
    expect(shippingFor({ country: "GB", goodsAfterDiscount: 9000, lines })).toBe(1999 + 3 * 1500);
  });
});
