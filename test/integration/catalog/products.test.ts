import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { ProductResponse } from "../../../src/routes/catalog/products.schemas";
import { call } from "../../support/http";
import { insertProducts, type TestProduct, uniqueWord } from "../../support/products";
import { createTestUser } from "../../support/users";

type Page = { items: ProductResponse[]; nextCursor: string | null };
type Query = Record<string, string | number>;

const search = (query: Query) =>
  call(`/v1/products?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`);

async function page(query: Query): Promise<Page> {
  const res = await search(query);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Page;
}

/** Follows nextCursor to the end, checking every page's size on the way. */
async function walk(query: Query, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const p: Page = await page({ ...query, limit, ...(cursor ? { cursor } : {}) });
    expect(p.items.length).toBeLessThanOrEqual(limit);
    // A cursor promises more rows: following one must never yield an empty page.
    if (cursor !== null) expect(p.items.length).toBeGreaterThan(0);
    ids.push(...p.items.map((i) => i.id));
    if (p.nextCursor === null) return ids;
    expect(p.items).toHaveLength(limit);
    cursor = p.nextCursor;
  }
  throw new Error("pagination did not end");
}

const CATS = ["lighting", "books", "toys"] as const;
let word: string;
let rows: TestProduct[];
// Expected orders, with the insertion index standing in for seq (the tie-breaker).
const order = (cmp: (a: number, b: number) => number) =>
  rows
    .map((_, i) => i)
    .sort(cmp)
    .map((i) => rows[i]!.id);

beforeAll(async () => {
  word = uniqueWord();
  const merchant = await createTestUser("merchant");
  const base = Date.now() - 86_400_000;
  // 20 with the word in the title, 5 only in the description; prices and dates repeat, so ties
  // exercise the seq tie-breaker.
  rows = await insertProducts(
    merchant.id,
    Array.from({ length: 25 }, (_, i) => ({
      title: i < 20 ? `${word} Brass Lamp ${i}` : `Plain Shelf ${i}`,
      description: i < 20 ? "Warm light." : `Pairs well with a ${word}.`,
      category: CATS[i % 3],
      priceMinor: 1000 + (i % 7) * 250,
      createdAt: base - (i % 5) * 1000,
      updatedAt: base,
    })),
  );
});

describe("GET /v1/products", () => {
  it("finds products by a word, a stem and a prefix", async () => {
    expect((await page({ q: word, limit: 100 })).items).toHaveLength(25);
    expect((await page({ q: `${word} lamps`, limit: 100 })).items).toHaveLength(20);
    expect((await page({ q: word.slice(0, 7), limit: 100 })).items.length).toBeGreaterThanOrEqual(25);
  });

  it("ranks title matches above description-only matches by default", async () => {
    const { items } = await page({ q: word, limit: 25 });
    const descriptionOnly = new Set(rows.slice(20).map((r) => r.id));
    expect(items.slice(20).every((i) => descriptionOnly.has(i.id))).toBe(true);
  });

  it("filters by category and an inclusive price range", async () => {
    const ids = await walk({ q: word, category: "books", minPrice: 1250, maxPrice: 2000 }, 3);
    const expected = rows.filter(
      (r) => r.category === "books" && r.priceMinor >= 1250 && r.priceMinor <= 2000,
    );
    expect(expected.length).toBeGreaterThan(2);
    expect(new Set(ids)).toEqual(new Set(expected.map((r) => r.id)));
    expect(ids).toHaveLength(expected.length);
  });

  it.each([
    ["price_asc", (a: number, b: number) => rows[a]!.priceMinor - rows[b]!.priceMinor || a - b],
    ["price_desc", (a: number, b: number) => rows[b]!.priceMinor - rows[a]!.priceMinor || b - a],
    ["newest", (a: number, b: number) => rows[b]!.createdAt - rows[a]!.createdAt || b - a],
  ])("walks every page of sort=%s in order, without duplicates or gaps", async (sort, cmp) => {
    expect(await walk({ q: word, sort }, 4)).toEqual(order(cmp));
    // A page size that divides the total: the last full page must not announce an empty one.
    expect(await walk({ q: word, sort }, 5)).toEqual(order(cmp));
  });

  it("walks every page of the relevance sort without duplicates or gaps", async () => {
    const ids = await walk({ q: word }, 4);
    expect(ids).toHaveLength(25);
    expect(new Set(ids)).toEqual(new Set(rows.map((r) => r.id)));
    expect(ids).toEqual((await page({ q: word, limit: 25 })).items.map((i) => i.id));
  });

  it("browses without q, newest first by default, also when relevance is asked for", async () => {
    for (const query of [{}, { sort: "relevance" }] as Query[]) {
      const first = await page({ ...query, limit: 10 });
      expect(first.nextCursor).not.toBeNull();
      const second = await page({ ...query, limit: 10, cursor: first.nextCursor! });
      const times = [...first.items, ...second.items].map((i) => Date.parse(i.createdAt));
      expect(times).toHaveLength(20);
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(new Set([...first.items, ...second.items].map((i) => i.id)).size).toBe(20);
    }
  });

  it("answers words that match nothing, or a q without words, with an empty last page", async () => {
    expect(await page({ q: `${word}nothing` })).toEqual({ items: [], nextCursor: null });
    expect(await page({ q: '"*^' })).toEqual({ items: [], nextCursor: null });
  });

  it("returns the public product shape", async () => {
    const { items } = await page({ q: `${word} 7`, sort: "price_asc" });
    const row = rows[7]!;
    expect(items[0]).toEqual({
      id: row.id,
      merchantId: row.merchantId,
      sku: row.sku,
      title: row.title,
      description: row.description,
      category: row.category,
      price: { amount: row.priceMinor, currency: "USD" },
      stock: row.stock,
      createdAt: new Date(row.createdAt).toISOString(),
      updatedAt: new Date(row.updatedAt).toISOString(),
    });
  });
});

describe("GET /v1/products: bad input is a 400, never a 500", () => {
  async function expectProblem(query: Query, type: string, field?: string) {
    const res = await search(query);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const body = (await res.json()) as { type: string; errors?: { field: string }[] };
    expect(body.type).toBe(`/problems/${type}`);
    if (field) expect(body.errors?.map((e) => e.field)).toContain(field);
  }

  it.each([
    [{ limit: 0 }, "limit"],
    [{ limit: 101 }, "limit"],
    [{ limit: "ten" }, "limit"],
    [{ minPrice: -1 }, "minPrice"],
    [{ minPrice: "1.5" }, "minPrice"],
    [{ minPrice: 500, maxPrice: 100 }, "minPrice"],
    [{ category: "weapons" }, "category"],
    [{ sort: "cheapest" }, "sort"],
    [{ page: 2 }, "page"],
  ])("rejects %j naming %s", async (query, field) => {
    await expectProblem(query, "validation-error", field);
  });

  it("rejects malformed cursors and cursors from another query", async () => {
    await expectProblem({ cursor: "not-a-cursor!" }, "invalid-cursor");
    await expectProblem({ cursor: btoa('{"v":1}') }, "invalid-cursor");
    const { nextCursor } = await page({ q: word, sort: "price_asc", limit: 2 });
    expect(nextCursor).not.toBeNull();
    await expectProblem({ q: word, sort: "price_desc", limit: 2, cursor: nextCursor! }, "invalid-cursor");
    await expectProblem(
      { q: word, sort: "price_asc", category: "toys", cursor: nextCursor! },
      "invalid-cursor",
    );
  });

  it.each([
    '"',
    "*",
    "NEAR(",
    "a OR",
    "title:x",
    "^",
    "-",
    "AND",
    "((lamp",
    "lamp NOT",
    "{title}:lamp",
    "😀",
    "東京ランプ",
    "x".repeat(10_000),
  ])("answers q=%j with 200", async (q) => {
    const body = await page({ q: q.slice(0, 10_000) });
    expect(Array.isArray(body.items)).toBe(true);
  });

  it("answers any typed q, under any sort, with 200, or 400 naming q when it holds a NUL", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: "binary", maxLength: 200 }),
          fc.string({ unit: "grapheme", maxLength: 50 }),
        ),
        fc.constantFrom("relevance", "price_asc", "newest"),
        async (q, sort) => {
          const res = await search({ q, sort, limit: 5 });
          // A URL carries a lone surrogate as U+FFFD, but a NUL arrives as is: text may not hold one.
          const expected = q.includes("\u0000") ? 400 : 200;
          expect(res.status, `q=${JSON.stringify(q)}: ${await res.clone().text()}`).toBe(expected);
          if (expected === 400) expect(JSON.stringify(await res.json())).toContain('"q"');
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe("GET /v1/products/:id", () => {
  it("returns the product, or a 404 problem", async () => {
    const found = await call(`/v1/products/${rows[0]!.id}`);
    expect(found.status).toBe(200);
    expect(await found.json()).toMatchObject({ id: rows[0]!.id, title: rows[0]!.title });
    const missing = await call("/v1/products/prd_missing");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ type: "/problems/not-found" });
  });
});
