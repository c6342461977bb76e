import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { insertProduct } from "../support/catalog";
import { postJson } from "../support/http";
import { createTestUser } from "../support/users";

/** Every creating POST honours Idempotency-Key the same way; api-keys has the full suite. */
describe("Idempotency-Key on the other creating endpoints", () => {
  it("POST /v1/products: a retry with the same key creates one product and replays the 201", async () => {
    const merchant = await createTestUser("merchant");
    const headers = { ...merchant.auth, "idempotency-key": crypto.randomUUID() };
    const body = {
      sku: `SKU-${crypto.randomUUID()}`,
      title: "Oak Desk",
      description: "Solid oak.",
      category: "furniture",
      price: 24900,
      stock: 3,
    };
    const first = await postJson("/v1/products", body, headers);
    const second = await postJson("/v1/products", body, headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.headers.get("location")).toBe(first.headers.get("location"));
    expect(await second.json()).toEqual(await first.json());
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM products WHERE sku = ?")
      .bind(body.sku)
      .first<{ n: number }>();
    expect(n?.n).toBe(1);
    const other = await postJson("/v1/products", { ...body, title: "Pine Desk" }, headers);
    expect(other.status).toBe(422);
  });

  it("POST /v1/quotes: a retry with the same key returns the same quote, not a second one", async () => {
    const [buyer, merchant] = await Promise.all([createTestUser("buyer"), createTestUser("merchant")]);
    const product = await insertProduct(merchant.id, { priceMinor: 1500, stock: 5 });
    const headers = { ...buyer.auth, "idempotency-key": crypto.randomUUID() };
    const body = { items: [{ productId: product.id, quantity: 1 }], shipTo: { country: "US" } };
    const first = await postJson("/v1/quotes", body, headers);
    const second = await postJson("/v1/quotes", body, headers);
    expect(first.status).toBe(200);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    const [a, b] = (await Promise.all([first.json(), second.json()])) as { id: string }[];
    expect(b!.id).toBe(a!.id);
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM quotes WHERE user_id = ?")
      .bind(buyer.id)
      .first<{ n: number }>();
    expect(n?.n).toBe(1);
  });
});
