import { beforeAll, describe, expect, it } from "vitest";
import { insertProducts, type TestProduct, uniqueWord } from "../../support/products";
import { createTestUser } from "../../support/users";
import { webVisitor } from "../../support/web";

let word: string;
let products: TestProduct[];

beforeAll(async () => {
  const merchant = await createTestUser("merchant");
  word = uniqueWord();
  // Newest first is the insertion order: seq and createdAt follow the array.
  products = await insertProducts(merchant.id, [
    { title: `Brass lamp ${word}`, priceMinor: 4999, category: "lighting", stock: 12 },
    { title: `Oak desk ${word}`, priceMinor: 25000, category: "furniture", stock: 3 },
    { title: `Paper lamp ${word}`, priceMinor: 1500, category: "lighting", stock: 0 },
  ]);
});

const titlesIn = (html: string) =>
  [...html.matchAll(/<h3><a href="\/shop\/products\/[^"]+">([^<]+)<\/a><\/h3>/g)].map((m) => m[1]);

const hrefOf = (html: string, rel: string) => {
  const m = new RegExp(`<a href="([^"]+)" rel="${rel}"`).exec(html);
  return m?.[1]?.replaceAll("&amp;", "&");
};

describe("/shop, the catalog", () => {
  it("searches with the API's words and shows each product's title, price and stock", async () => {
    const res = await (await webVisitor()).get(`/shop?q=${word}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<h1>Shop<\/h1>/);
    expect(titlesIn(html).sort()).toEqual(products.map((p) => p.title).sort());
    expect(html).toContain("$49.99");
    expect(html).toContain("Only 3 left");
    expect(html).toContain("Out of stock");
    expect(html).toMatch(/<label for="q">Search<\/label>/);
    expect(html).toContain(`value="${word}"`);
  });

  it("filters by category and price and sorts as asked, keeping the choices in the form", async () => {
    const visitor = await webVisitor();
    const lamps = await (await visitor.get(`/shop?q=${word}&category=lighting&sort=price_asc`)).text();
    expect(titlesIn(lamps)).toEqual([`Paper lamp ${word}`, `Brass lamp ${word}`]);
    expect(lamps).toMatch(/<option value="lighting" selected="">/);
    expect(lamps).toMatch(/<option value="price_asc" selected="">/);

    const dear = await (await visitor.get(`/shop?q=${word}&minPrice=2000&sort=price_desc`)).text();
    expect(titlesIn(dear)).toEqual([`Oak desk ${word}`, `Brass lamp ${word}`]);
  });

  it("pages with the API's cursor forward and back", async () => {
    const visitor = await webVisitor();
    const first = await (await visitor.get(`/shop?q=${word}&sort=price_asc&limit=1`)).text();
    expect(titlesIn(first)).toEqual([`Paper lamp ${word}`]);
    expect(hrefOf(first, "prev")).toBeUndefined();
    const second = await (await visitor.get(hrefOf(first, "next")!)).text();
    expect(titlesIn(second)).toEqual([`Brass lamp ${word}`]);
    const third = await (await visitor.get(hrefOf(second, "next")!)).text();
    expect(titlesIn(third)).toEqual([`Oak desk ${word}`]);
    expect(hrefOf(third, "next")).toBeUndefined();
    const back = await (await visitor.get(hrefOf(third, "prev")!)).text();
    expect(titlesIn(back)).toEqual([`Brass lamp ${word}`]);
    const home = await (await visitor.get(hrefOf(back, "prev")!)).text();
    expect(titlesIn(home)).toEqual([`Paper lamp ${word}`]);
    expect(hrefOf(home, "prev")).toBeUndefined();
  });

  it("says plainly when nothing matches and offers to clear the filters", async () => {
    const res = await (await webVisitor()).get(`/shop?q=${word}&category=pets`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(titlesIn(html)).toEqual([]);
    expect(html).toContain(`No products match “${word}” in pets.`);
    expect(html).toMatch(/<a href="\/shop">clear the filters<\/a>/);
  });

  it("shows a bad filter with the API's words and its 400, never a 500", async () => {
    const visitor = await webVisitor();
    const price = await visitor.get("/shop?minPrice=cheap");
    expect(price.status).toBe(400);
    const html = await price.text();
    expect(html).toMatch(/role="alert"/);
    expect(html).toContain("minPrice: must be a whole number");
    expect(html).toContain('value="cheap"');

    const cursor = await visitor.get("/shop?cursor=not-a-cursor");
    expect(cursor.status).toBe(400);
    expect(await cursor.text()).toMatch(/cursor/i);
    expect((await visitor.get("/shop?minPrice=500&maxPrice=100")).status).toBe(400);
  });
});

describe("/shop/products/:id, the product page", () => {
  it("shows what a buyer needs and an add-to-cart form bounded by the stock", async () => {
    const desk = products[1]!;
    const res = await (await webVisitor("buyer")).get(`/shop/products/${desk.id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`<h1>${desk.title}</h1>`);
    expect(html).toContain("$250.00");
    expect(html).toContain(desk.description);
    expect(html).toContain("Only 3 left");
    expect(html).toMatch(/<form method="post" action="\/shop\/cart\/add"/);
    expect(html).toMatch(/<label for="quantity">Quantity \(1 to 3\)<\/label>/);
    expect(html).toMatch(/max="3"/);
  });

  it("offers no add-to-cart form for a sold-out product", async () => {
    const html = await (await (await webVisitor()).get(`/shop/products/${products[2]!.id}`)).text();
    expect(html).toContain("sold out");
    expect(html).not.toContain('action="/shop/cart/add"');
  });

  it("is the 404 page for an unknown product", async () => {
    const res = await (await webVisitor()).get("/shop/products/prd_nope");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(await res.text()).toContain("<h1>Not found</h1>");
  });
});
