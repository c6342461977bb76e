import { beforeAll, describe, expect, it } from "vitest";
import type { ProductResponse } from "../../../src/routes/catalog/products.schemas";
import { createTestApiKey } from "../../support/api-keys";
import { call, postJson } from "../../support/http";
import { uniqueWord } from "../../support/products";
import { createTestUser, type TestUser } from "../../support/users";

const valid = (overrides: Record<string, unknown> = {}) => ({
  sku: `LAMP-${crypto.randomUUID().slice(0, 8)}`,
  title: "Brass Desk Lamp",
  description: "A warm, dimmable lamp for late reading.",
  category: "lighting",
  price: 4999,
  stock: 12,
  ...overrides,
});

let merchant: TestUser;
beforeAll(async () => {
  merchant = await createTestUser("merchant");
});

describe("POST /v1/products", () => {
  it("creates the product: 201, Location, USD by default, and it can be fetched and found at once", async () => {
    const word = uniqueWord();
    const res = await postJson("/v1/products", valid({ title: `${word} Brass Lamp` }), merchant.auth);
    expect(res.status).toBe(201);
    const product = (await res.json()) as ProductResponse;
    expect(product).toMatchObject({
      merchantId: merchant.id,
      title: `${word} Brass Lamp`,
      category: "lighting",
      price: { amount: 4999, currency: "USD" },
      stock: 12,
    });
    expect(product.id).toMatch(/^prd_/);
    expect(res.headers.get("location")).toBe(`/v1/products/${product.id}`);

    const fetched = await call(res.headers.get("location")!);
    expect(await fetched.json()).toEqual(product);
    const found = (await (await call(`/v1/products?q=${word}`)).json()) as { items: ProductResponse[] };
    expect(found.items.map((i) => i.id)).toEqual([product.id]);
  });

  it("refuses a second product with the same SKU from the same merchant, not from another", async () => {
    const body = valid();
    expect((await postJson("/v1/products", body, merchant.auth)).status).toBe(201);
    const again = await postJson("/v1/products", { ...body, title: "Other" }, merchant.auth);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ type: "/problems/duplicate-sku", sku: body.sku });
    const other = await createTestUser("merchant");
    expect((await postJson("/v1/products", body, other.auth)).status).toBe(201);
  });

  it("accepts an API key with catalog:write and refuses one without", async () => {
    const writer = await createTestApiKey(merchant.id, ["catalog:write"]);
    expect((await postJson("/v1/products", valid(), writer.auth)).status).toBe(201);
    const reader = await createTestApiKey(merchant.id, ["orders:read", "reports:read"]);
    const res = await postJson("/v1/products", valid(), reader.auth);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ type: "/problems/forbidden" });
  });

  it("is for merchants: 401 without credentials, 403 for a buyer", async () => {
    expect((await postJson("/v1/products", valid())).status).toBe(401);
    const buyer = await createTestUser("buyer");
    expect((await postJson("/v1/products", valid(), buyer.auth)).status).toBe(403);
    const buyerKey = await createTestApiKey(buyer.id, ["catalog:write"]);
    expect((await postJson("/v1/products", valid(), buyerKey.auth)).status).toBe(403);
  });

  it.each([
    [{ price: 0 }, "price"],
    [{ price: 19.99 }, "price"],
    [{ stock: -1 }, "stock"],
    [{ category: "weapons" }, "category"],
    [{ currency: "usd" }, "currency"],
    // Well-formed codes, but no quote could price them.
    [{ currency: "XXX" }, "currency"],
    [{ currency: "BTC" }, "currency"],
    [{ currency: "EUR" }, "currency"],
    [{ sku: "" }, "sku"],
    [{ sku: "has spaces" }, "sku"],
    [{ title: "   " }, "title"],
    [{ priceMinor: 100 }, "priceMinor"],
  ])("rejects %j naming %s", async (overrides, field) => {
    const res = await postJson("/v1/products", valid(overrides), merchant.auth);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { field: string }[] };
    expect(body.errors.map((e) => e.field)).toContain(field);
  });
});
