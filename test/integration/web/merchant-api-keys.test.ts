import { describe, expect, it } from "vitest";
import { call } from "../../support/http";
import { pageOf, roleText } from "../../support/merchant-desk";
import { webVisitor } from "../../support/web";

const SECRET = /<code class="secret" id="new-key-secret">(cdk_[^<]+)<\/code>/;

describe("/merchant/api-keys", () => {
  it("shows a created key once, in the POST's own answer, and never again", async () => {
    const merchant = await webVisitor("merchant");
    expect(await pageOf(merchant, "/merchant/api-keys")).toContain("No API keys yet.");

    const res = await merchant.post("/merchant/api-keys", { name: "desk sync", scopes: "orders:read" });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("location")).toBeNull();
    expect(res.headers.getSetCookie()).toEqual([]);
    const html = await res.text();
    expect(html).toContain("You will not see it again");
    const key = SECRET.exec(html)?.[1];
    expect(key).toBeDefined();

    // The key works against the API, within its scope only.
    const auth = { authorization: `Bearer ${key}` };
    expect((await call("/v1/merchant/orders", { headers: auth })).status).toBe(200);
    expect((await call("/v1/settlements", { headers: auth })).status).toBe(403);

    const list = await pageOf(merchant, "/merchant/api-keys");
    expect(list).toContain("desk sync");
    expect(list).toContain(`${key!.slice(0, 12)}…`);
    expect(list).not.toContain(key!);
  });

  it("creates a key with several scopes from the checkboxes", async () => {
    const merchant = await webVisitor("merchant");
    const body = new URLSearchParams([
      ["name", "two scopes"],
      ["scopes", "catalog:write"],
      ["scopes", "reports:read"],
    ]);
    const res = await call("/merchant/api-keys", {
      method: "POST",
      headers: {
        cookie: [...merchant.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
        origin: "https://crossdock.test",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: body.toString(),
    });
    expect(res.status).toBe(201);
    expect(await res.text()).toContain("(catalog:write, reports:read)");
  });

  it("re-renders the form with the API's words when no scope is chosen", async () => {
    const merchant = await webVisitor("merchant");
    const res = await merchant.post("/merchant/api-keys", { name: "nothing" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(roleText(html, "alert")).toMatch(/^scopes: /);
    expect(html).toContain('value="nothing"');
    expect(html).not.toMatch(SECRET);
  });

  it("revokes a key after a confirmation page that needs no script", async () => {
    const merchant = await webVisitor("merchant");
    const created = await (
      await merchant.post("/merchant/api-keys", { name: "old", scopes: "orders:read" })
    ).text();
    const key = SECRET.exec(created)?.[1];
    const list = await pageOf(merchant, "/merchant/api-keys");
    const confirmPath = /href="(\/merchant\/api-keys\/key_[^"/]+\/revoke)"/.exec(list)?.[1];
    expect(confirmPath).toBeDefined();

    const confirm = await pageOf(merchant, confirmPath!);
    expect(confirm).toContain("<h1>Revoke “old”?</h1>");
    expect(confirm).toContain(`<form method="post" action="${confirmPath}"`);

    const done = await merchant.post(confirmPath!, {});
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/merchant/api-keys?done=key-revoked");
    const after = await pageOf(merchant, "/merchant/api-keys?done=key-revoked");
    expect(roleText(after, "status")).toBe("API key revoked. It stopped working at once.");
    expect(after).toContain("No API keys yet.");
    expect((await call("/v1/merchant/orders", { headers: { authorization: `Bearer ${key}` } })).status).toBe(
      401,
    );

    // Twice, or someone else's: a 404 page.
    expect(await pageOf(merchant, confirmPath!, 404)).toContain("<h1>Not found</h1>");
    expect((await merchant.post(confirmPath!, {})).status).toBe(404);
  });

  it("does not let another merchant revoke a key", async () => {
    const owner = await webVisitor("merchant");
    await owner.post("/merchant/api-keys", { name: "mine", scopes: "orders:read" });
    const path = /href="(\/merchant\/api-keys\/key_[^"/]+\/revoke)"/.exec(
      await pageOf(owner, "/merchant/api-keys"),
    )?.[1];
    const stranger = await webVisitor("merchant");
    expect((await stranger.post(path!, {})).status).toBe(404);
    expect(await pageOf(owner, "/merchant/api-keys")).toContain("mine");
  });

  it("is a 403 page for a buyer", async () => {
    const buyer = await webVisitor("buyer");
    expect((await buyer.post("/merchant/api-keys", { name: "x", scopes: "orders:read" })).status).toBe(403);
  });
});
