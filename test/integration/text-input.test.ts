import { beforeAll, describe, expect, it } from "vitest";
import { postEvents } from "../support/analytics";
import { call, postJson } from "../support/http";
import { insertProducts } from "../support/products";
import { createTestUser, type TestUser } from "../support/users";

interface Problem {
  type: string;
  errors: { field: string; in: string; message: string }[];
}

/** NUL, and a lone surrogate in each half of the range (JSON.stringify escapes these as \ud800 etc.). */
const MALFORMED = ["\u0000", "Ada\u0000", "\ud800", "tail\udc00", "\udc00\ud800"];

let merchant: TestUser;
beforeAll(async () => {
  merchant = await createTestUser("merchant");
});

async function expectFieldRejected(res: Response, field: string, where = "body") {
  expect(res.status).toBe(400);
  const problem = await res.json<Problem>();
  expect(problem.type).toBe("/problems/validation-error");
  expect(problem.errors).toContainEqual({
    field,
    in: where,
    message: expect.stringMatching(/NUL.*surrogate/),
  });
}

describe("malformed text in JSON bodies is a 400 naming the field", () => {
  it.each(MALFORMED)("signup name %j", async (name) => {
    const email = `text-${crypto.randomUUID()}@example.com`;
    const res = await postJson("/v1/auth/signup", { email, password: "long enough pw", name, role: "buyer" });
    await expectFieldRejected(res, "name");
  });

  it("a password, and a body's keys", async () => {
    const email = `text-${crypto.randomUUID()}@example.com`;
    const signup = { email, password: "long\u0000enough", name: "Ada", role: "buyer" };
    await expectFieldRejected(await postJson("/v1/auth/signup", signup), "password");
    const withKey = await postJson("/v1/auth/signup", { ...signup, password: "long enough", "\ud800": 1 });
    expect(withKey.status).toBe(400);
  });

  it("product title, description and every field at once", async () => {
    const res = await postJson(
      "/v1/products",
      {
        sku: `T-${crypto.randomUUID().slice(0, 8)}`,
        title: "Lamp \ud800",
        description: "Warm\u0000light",
        category: "lighting",
        price: 100,
        stock: 1,
      },
      merchant.auth,
    );
    await expectFieldRejected(res.clone(), "title");
    await expectFieldRejected(res, "description");
  });

  it("api-key name", async () => {
    const res = await postJson(
      "/v1/api-keys",
      { name: "ci\udfff", scopes: ["catalog:write"] },
      merchant.auth,
    );
    await expectFieldRejected(res, "name");
  });

  it("a query string too", async () => {
    await expectFieldRejected(await call("/v1/products?q=lamp%00"), "q", "query");
  });

  it("well-formed text, surrogate pairs included, is kept as sent", async () => {
    const name = "Ada 🦊 Lovelace — ü";
    const email = `text-${crypto.randomUUID()}@example.com`;
    const res = await postJson("/v1/auth/signup", { email, password: "long enough pw", name, role: "buyer" });
    expect(res.status).toBe(201);
    expect((await res.json<{ user: { name: string } }>()).user.name).toBe(name);
  });
});

describe("POST /v1/events checks text per event", () => {
  it("rejects only the event with malformed text, naming its field", async () => {
    const [product] = await insertProducts(merchant.id, [{ title: "Text lamp" }]);
    const res = await postEvents(
      [
        { type: "search.performed", query: "lamp\u0000" },
        { type: "product.viewed", productId: product!.id, properties: { note: "\ud800" } },
        { type: "product.viewed", productId: product!.id },
      ],
      merchant.auth,
    );
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({
      accepted: 1,
      rejected: [
        { index: 0, reason: expect.stringMatching(/^query: must not contain NUL/) },
        { index: 1, reason: expect.stringMatching(/^properties\.note: must not contain NUL/) },
      ],
    });
  });
});
