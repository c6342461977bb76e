import { describe, expect, it } from "vitest";
import { generateDemoCatalog } from "../../../scripts/demo-data/generate-demo-catalog";
import { VOCABULARY } from "../../../scripts/demo-data/vocabulary";
import { CATEGORIES } from "../../../src/flows/catalog/categories";

const NOW = Date.UTC(2026, 5, 1);
const YEAR = 365 * 86_400_000;
const options = { seed: 7, merchants: 5, buyers: 8, products: 400, now: NOW };

describe("generateDemoCatalog", () => {
  it("is deterministic: same options, identical catalog (and products re-iterate identically)", () => {
    const a = generateDemoCatalog(options);
    const b = generateDemoCatalog(options);
    expect(b.users).toEqual(a.users);
    expect(b.promotions).toEqual(a.promotions);
    expect([...b.products]).toEqual([...a.products]);
    expect([...a.products]).toEqual([...a.products]);
  });

  it("changes with the seed", () => {
    const a = [...generateDemoCatalog(options).products].map((p) => p.title);
    const b = [...generateDemoCatalog({ ...options, seed: 8 }).products].map((p) => p.title);
    expect(b).not.toEqual(a);
  });

  it("makes product #n the same in a small and a large catalog", () => {
    const small = [...generateDemoCatalog(options).products];
    const large = [...generateDemoCatalog({ ...options, products: 1000 }).products].slice(0, 400);
    expect(large).toEqual(small);
  });

  it("has the requested counts, stable ids and the two named demo accounts", () => {
    const { users, products } = generateDemoCatalog(options);
    expect(users.filter((u) => u.role === "merchant")).toHaveLength(6);
    expect(users.filter((u) => u.role === "buyer")).toHaveLength(9);
    expect(users.map((u) => u.email)).toEqual(
      expect.arrayContaining(["merchant@demo.crossdock", "buyer@demo.crossdock", "merchant5@demo.crossdock"]),
    );
    expect(users.map((u) => u.id)).toContain("usr_demo_m0001");
    const all = [...products];
    expect(all).toHaveLength(400);
    expect(all[0]?.id).toBe("prd_demo_000001");
    expect(new Set(all.map((p) => p.id)).size).toBe(400);
    expect(new Set(all.map((p) => p.sku)).size).toBe(400);
  });

  it("makes plausible products: known categories, category price ranges, stock and dates", () => {
    const { users, products } = generateDemoCatalog(options);
    const merchants = new Set(users.filter((u) => u.role === "merchant").map((u) => u.id));
    const all = [...products];
    for (const p of all) {
      expect(CATEGORIES).toContain(p.category);
      const [min, max] = VOCABULARY[p.category].price;
      expect(p.priceMinor).toBeGreaterThanOrEqual(min * 100);
      expect(p.priceMinor).toBeLessThan(max * 100);
      expect(Number.isInteger(p.priceMinor)).toBe(true);
      expect(p.stock).toBeGreaterThanOrEqual(0);
      expect(p.stock).toBeLessThanOrEqual(500);
      expect(p.createdAt).toBeGreaterThanOrEqual(NOW - YEAR);
      expect(p.createdAt).toBeLessThan(NOW);
      expect(p.updatedAt).toBeGreaterThanOrEqual(p.createdAt);
      expect(p.updatedAt).toBeLessThanOrEqual(NOW);
      expect(merchants.has(p.merchantId)).toBe(true);
      expect(p.title.split(" ").length).toBeGreaterThanOrEqual(3);
      const sentences = p.description.split(". ").length;
      expect(sentences).toBeGreaterThanOrEqual(1);
      expect(sentences).toBeLessThanOrEqual(3);
    }
    // Some sold out, most not; every category present.
    const soldOut = all.filter((p) => p.stock === 0).length;
    expect(soldOut).toBeGreaterThan(0);
    expect(soldOut).toBeLessThan(all.length / 4);
    expect(new Set(all.map((p) => p.category)).size).toBe(CATEGORIES.length);
  });

  it("dates the promotions around now: live ones started, EXPIRED20 expired", () => {
    const { promotions } = generateDemoCatalog(options);
    expect(promotions.map((p) => p.code).sort()).toEqual(["ELECTRO15", "EXPIRED20", "SAVE5", "WELCOME10"]);
    for (const p of promotions) expect(p.startsAt).toBeLessThanOrEqual(NOW);
    expect(promotions.find((p) => p.code === "EXPIRED20")?.expiresAt).toBeLessThan(NOW);
    expect(promotions.find((p) => p.code === "ELECTRO15")).toMatchObject({
      category: "electronics",
      value: 1500,
    });
    expect(promotions.find((p) => p.code === "SAVE5")).toMatchObject({
      kind: "fixed",
      value: 500,
      minSubtotalMinor: 2500,
    });
  });

  it("rejects nonsense counts", () => {
    expect(() => generateDemoCatalog({ ...options, products: -1 })).toThrow(RangeError);
    expect(() => generateDemoCatalog({ ...options, merchants: 1.5 })).toThrow(RangeError);
  });
});
