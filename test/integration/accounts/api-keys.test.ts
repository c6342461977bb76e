import { describe, expect, it } from "vitest";
import { call, postJson } from "../../support/http";
import { createTestUser } from "../../support/users";

interface CreatedKey {
  id: string;
  key: string;
  prefix: string;
  scopes: string[];
}

describe("merchant API keys", () => {
  it("shows the key once, lists without secrets, and stops working when deleted", async () => {
    const merchant = await createTestUser("merchant");
    const res = await postJson(
      "/v1/api-keys",
      { name: "sync", scopes: ["catalog:write", "orders:read"] },
      merchant.auth,
    );
    expect(res.status).toBe(201);
    const created = (await res.json()) as CreatedKey;
    expect(created.key).toMatch(/^cdk_/);
    expect(created.key.startsWith(created.prefix)).toBe(true);
    expect(res.headers.get("location")).toBe(`/v1/api-keys/${created.id}`);

    const list = await call("/v1/api-keys", { headers: merchant.auth });
    const listed = (await list.json()) as { items: Record<string, unknown>[] };
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).toMatchObject({ id: created.id, scopes: ["catalog:write", "orders:read"] });
    expect(JSON.stringify(listed)).not.toContain(created.key);

    const keyAuth = { authorization: `Bearer ${created.key}` };
    // A key is not a session: it cannot manage keys or read /v1/me.
    expect((await call("/v1/api-keys", { headers: keyAuth })).status).toBe(403);

    expect(
      (await call(`/v1/api-keys/${created.id}`, { method: "DELETE", headers: merchant.auth })).status,
    ).toBe(204);
    expect((await call("/v1/api-keys", { headers: keyAuth })).status).toBe(401);
  });

  it("keeps each merchant's keys to themselves", async () => {
    const a = await createTestUser("merchant");
    const b = await createTestUser("merchant");
    const created = (await (
      await postJson("/v1/api-keys", { name: "a", scopes: ["reports:read"] }, a.auth)
    ).json()) as CreatedKey;
    expect((await call(`/v1/api-keys/${created.id}`, { method: "DELETE", headers: b.auth })).status).toBe(
      404,
    );
    const bList = (await (await call("/v1/api-keys", { headers: b.auth })).json()) as { items: unknown[] };
    expect(bList.items).toHaveLength(0);
  });

  it("is for merchants only and validates scopes", async () => {
    const buyer = await createTestUser("buyer");
    expect((await postJson("/v1/api-keys", { name: "x", scopes: ["orders:read"] }, buyer.auth)).status).toBe(
      403,
    );
    expect((await postJson("/v1/api-keys", { name: "x", scopes: ["orders:read"] })).status).toBe(401);
    const merchant = await createTestUser("merchant");
    const bad = await postJson("/v1/api-keys", { name: "x", scopes: ["root"] }, merchant.auth);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe("scopes.0");
    const none = await postJson("/v1/api-keys", { name: "x", scopes: [] }, merchant.auth);
    expect(none.status).toBe(400);
  });
});
