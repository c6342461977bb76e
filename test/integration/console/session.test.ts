import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "../../support/http";
import { createTestUser } from "../../support/users";

const ORIGIN = "https://crossdock.test";
const COOKIE = "__Host-crossdock-console";

/** A form post as a browser on the console's own page sends it. */
const postForm = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  call(path, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, ...headers },
    body: new URLSearchParams(fields).toString(),
  });

const get = (path: string, cookie?: string) =>
  call(path, { redirect: "manual", headers: cookie ? { cookie: `${COOKIE}=${cookie}` } : {} });

/** Signs the test admin in through the form; the cookie's value. */
async function signIn(next = "/console"): Promise<string> {
  const res = await postForm("/console/login", {
    email: env.ADMIN_EMAIL,
    password: env.ADMIN_PASSWORD,
    next,
  });
  expect(res.status).toBe(303);
  const value = /__Host-crossdock-console=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
  expect(value).toMatch(/^cds_/);
  return value as string;
}

describe("the console's sign-in", () => {
  it("sends a signed-out browser to the sign-in form, and back to the page it asked for", async () => {
    const res = await get("/console/orders?status=failed");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(
      `/console/login?next=${encodeURIComponent("/console/orders?status=failed")}`,
    );
    const form = await get("/console/login?next=%2Fconsole%2Forders");
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('<label for="email">Email</label>');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toContain('name="next" value="/console/orders"');
  });

  it("sets an HttpOnly, Secure, SameSite=Strict __Host- cookie holding a live session", async () => {
    const res = await postForm("/console/login", {
      email: env.ADMIN_EMAIL,
      password: env.ADMIN_PASSWORD,
      next: "/console/dead-letters",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/console/dead-letters");
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^__Host-crossdock-console=cds_/);
    for (const attribute of ["Path=/", "HttpOnly", "Secure", "SameSite=Strict", "Expires="]) {
      expect(cookie).toContain(attribute);
    }
    expect(cookie).not.toContain("Domain=");
    const token = /=([^;]+)/.exec(cookie)?.[1] as string;
    const page = await get("/console", token);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(env.ADMIN_EMAIL);
    expect(html).toContain('aria-current="page"');
    expect(html).toContain('action="/console/find"');
    // The same session token works on the API: one session, two ways to carry it.
    const me = await call("/v1/me", { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
  });

  it("re-renders the form with what went wrong: missing fields 400, a wrong password 401", async () => {
    const blank = await postForm("/console/login", { email: "", password: "" });
    expect(blank.status).toBe(400);
    expect(await blank.text()).toContain('role="alert"');
    const wrong = await postForm("/console/login", { email: env.ADMIN_EMAIL, password: "not-it" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    const html = await wrong.text();
    expect(html).toContain("do not match an account");
    // The email typed is kept, the password never echoed.
    expect(html).toContain(`value="${env.ADMIN_EMAIL}"`);
    expect(html).not.toContain("not-it");
  });

  it("is throttled like the API's login: a locked-out address gets 429 and Retry-After", async () => {
    const email = `nobody-${crypto.randomUUID()}@test.crossdock`;
    const client = { "cf-connecting-ip": `203.0.113.${Math.floor(Math.random() * 250)}` };
    let last: Response | undefined;
    for (let i = 0; i < 7; i++) last = await postForm("/console/login", { email, password: "x" }, client);
    expect(last?.status).toBe(429);
    expect(last?.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await last?.text()).toContain('role="alert"');
  });

  it("refuses a signed-in account that is not an admin (403), at the form and with a cookie", async () => {
    const buyer = await createTestUser("buyer");
    const page = await get("/console", buyer.token);
    expect(page.status).toBe(403);
    expect(page.headers.get("content-type")).toContain("application/problem+json");
  });

  it("treats an unknown or revoked token as signed out", async () => {
    const res = await get("/console", "cds_not-a-real-token");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(/^\/console\/login\?next=/);
  });

  it("sends people back only to console pages, never to another site", async () => {
    for (const next of ["//evil.example/console", "https://evil.example/", "/v1/me", "/consolex"]) {
      const res = await postForm("/console/login", {
        email: env.ADMIN_EMAIL,
        password: env.ADMIN_PASSWORD,
        next,
      });
      expect(res.headers.get("location"), next).toBe("/console");
    }
  });

  it("signs out on the server too: the old cookie no longer opens a page", async () => {
    const token = await signIn();
    const out = await postForm("/console/logout", {}, { cookie: `${COOKIE}=${token}` });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/console/login");
    expect(out.headers.get("set-cookie")).toMatch(/__Host-crossdock-console=;.*Max-Age=0/);
    expect((await get("/console", token)).status).toBe(303);
  });
});

describe("CSRF: every console form post must come from the console's own origin", () => {
  it("refuses a form post from another site or without an Origin, signed in or not", async () => {
    const token = await signIn();
    for (const headers of [{ origin: "https://evil.example" }, { origin: "null" }]) {
      const res = await postForm("/console/logout", {}, { ...headers, cookie: `${COOKIE}=${token}` });
      expect(res.status, headers.origin).toBe(403);
    }
    const noOrigin = await call("/console/login", {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD }).toString(),
    });
    expect(noOrigin.status).toBe(403);
    expect(noOrigin.headers.get("set-cookie")).toBeNull();
    // The session survived the forged sign-out.
    expect((await get("/console", token)).status).toBe(200);
  });

  it("lets a same-origin post through on Sec-Fetch-Site when a browser sends no Origin", async () => {
    const res = await call("/console/login", {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" },
      body: new URLSearchParams({ email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD }).toString(),
    });
    expect(res.status).toBe(303);
  });
});
