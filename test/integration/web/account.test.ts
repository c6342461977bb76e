import { describe, expect, it } from "vitest";
import { call } from "../../support/http";
import { WEB_COOKIE, webVisitor } from "../../support/web";

const unique = () => `web-${crypto.randomUUID().slice(0, 8)}@example.com`;

describe("sign-up, sign-in and sign-out pages", () => {
  it("sends the root to the shop", async () => {
    const res = await call("/", { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/shop");
  });

  it("creates an account through the form and keeps its session in an HttpOnly, Secure, SameSite cookie", async () => {
    const visitor = await webVisitor();
    const email = unique();
    const res = await visitor.post("/account/signup", {
      name: "Ada Buyer",
      email,
      password: "correct horse battery",
      role: "buyer",
      next: "/shop/orders",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/shop/orders");
    const cookie = res.headers.getSetCookie().find((l) => l.startsWith(`${WEB_COOKIE}=`)) ?? "";
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Domain=/);
    const shop = await visitor.get("/shop");
    expect(await shop.text()).toContain(email);
  });

  it("sends a new merchant to the workspace and refuses it to a buyer with a 403 page", async () => {
    const merchant = await webVisitor();
    const res = await merchant.post("/account/signup", {
      name: "Mo Merchant",
      email: unique(),
      password: "correct horse battery",
      role: "merchant",
    });
    expect(res.headers.get("location")).toBe("/merchant");
    expect((await merchant.get("/merchant")).status).toBe(200);

    const buyer = await webVisitor("buyer");
    const refused = await buyer.get("/merchant");
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toMatch(/text\/html/);
    expect(await refused.text()).toContain("This page is for merchant accounts.");
  });

  it("re-renders the form with the API's words and status on a taken email or a short password", async () => {
    const visitor = await webVisitor();
    const email = unique();
    const form = { name: "Ada", email, password: "correct horse battery", role: "buyer" };
    expect((await visitor.post("/account/signup", form)).status).toBe(303);

    const again = await (await webVisitor()).post("/account/signup", form);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("An account with that email exists already");

    const short = await (await webVisitor()).post("/account/signup", {
      ...form,
      email: unique(),
      password: "short",
    });
    expect(short.status).toBe(400);
    const html = await short.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain("password");
  });

  it("signs in with the API's credential check and out again, ending the session on the server", async () => {
    const visitor = await webVisitor();
    const email = unique();
    await visitor.post("/account/signup", {
      name: "Ada",
      email,
      password: "correct horse battery",
      role: "buyer",
    });
    const token = visitor.cookies.get(WEB_COOKIE) ?? "";

    const wrong = await (await webVisitor()).post("/account/login", { email, password: "not it at all" });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("That email and password do not match an account.");

    const fresh = await webVisitor();
    const ok = await fresh.post("/account/login", {
      email,
      password: "correct horse battery",
      next: "https://evil.example/",
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe("/shop");

    const out = await visitor.post("/account/logout", {});
    expect(out.status).toBe(303);
    expect(visitor.cookies.has(WEB_COOKIE)).toBe(false);
    const me = await call("/v1/me", { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(401);
  });

  it("sends a signed-out visitor to the sign-in form and back, and refuses a form post from another site", async () => {
    const visitor = await webVisitor();
    const res = await visitor.get("/merchant?tab=1");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/account/login?next=${encodeURIComponent("/merchant?tab=1")}`);

    const forged = await call("/account/login", {
      method: "POST",
      headers: { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
      body: "email=a%40b.c&password=x",
    });
    expect(forged.status).toBe(403);
  });

  it("answers a path no page has with a 404 page that gives the request id to quote", async () => {
    const res = await call("/shop/no-such-page", { headers: { "x-request-id": "req-web-404" } });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain("<h1>Not found</h1>");
    expect(html).toContain("req-web-404");
  });
});
