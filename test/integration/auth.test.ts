import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { evaluateAlerts } from "../../src/platform/events/alerting";
import { createLogger } from "../../src/platform/observability/logger";
import { call, postJson } from "../support/http";
import { captureLogs } from "../support/logs";

let counter = 0;
/** A distinct email and client address per test, so throttling in one test never leaks into another. */
function fresh() {
  counter += 1;
  const n = `${Date.now()}${counter}${Math.floor(Math.random() * 1e6)}`;
  return {
    email: `user${n}@example.com`,
    ip: `10.${counter % 250}.${Math.floor(Math.random() * 250)}.${counter % 250}`,
  };
}

/**
 * The rate-limiting binding counts in fixed 60-second windows aligned to the wall clock (locally as in
 * production), so a throttling test that straddles a window boundary sees its count reset. Start such a
 * test with at least 15 seconds of the current window left.
 */
async function roomInRateWindow(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 15_000) await new Promise((r) => setTimeout(r, left + 50));
}

/** Signs in from a client address (what the throttle keys on besides the email). */
const login = (email: string, password: string, ip: string) =>
  postJson("/v1/auth/login", { email, password }, { "cf-connecting-ip": ip });

async function signup(
  email: string,
  role: "buyer" | "merchant" = "buyer",
  password = "correct horse battery",
) {
  return postJson("/v1/auth/signup", { email, password, name: "Ada", role });
}

describe("POST /v1/auth/signup", () => {
  it("creates the account, hashes the password and returns a working token", async () => {
    const { email } = fresh();
    const res = await signup(email.toUpperCase(), "merchant");
    expect(res.status).toBe(201);
    const body = (await res.json()) as { token: string; user: { id: string; email: string; role: string } };
    expect(body.user).toMatchObject({ email, role: "merchant" });
    expect(body.user).not.toHaveProperty("passwordHash");
    const stored = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?")
      .bind(body.user.id)
      .first<{
        password_hash: string;
      }>();
    expect(stored?.password_hash).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(stored?.password_hash).not.toContain("correct horse");
    const me = await call("/v1/me", { headers: { authorization: `Bearer ${body.token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: body.user.id, email, role: "merchant" });
  });

  it("rejects a taken email with 409, and the admin's email too", async () => {
    const { email } = fresh();
    expect((await signup(email)).status).toBe(201);
    const again = await signup(email);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ type: "/problems/email-taken" });
    expect((await signup(env.ADMIN_EMAIL)).status).toBe(409);
  });

  it("lists every bad field, rejects unknown fields and refuses the admin role", async () => {
    const res = await postJson("/v1/auth/signup", {
      email: "nope",
      password: "short",
      name: "",
      role: "admin",
      extra: 1,
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const problem = (await res.json()) as { errors: { field: string }[]; instance: string };
    expect(problem.errors.map((e) => e.field).sort()).toEqual(["email", "extra", "name", "password", "role"]);
    expect(problem.instance).toBe(res.headers.get("x-request-id"));
  });

  it("answers malformed JSON and oversized bodies as problems, not 500s", async () => {
    const bad = await call("/v1/auth/signup", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    const big = await postJson("/v1/auth/signup", {
      email: "a@b.co",
      password: "x".repeat(70_000),
      name: "A",
      role: "buyer",
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ type: "/problems/payload-too-large", status: 413 });
  });
});

describe("POST /v1/auth/login and logout", () => {
  it("logs in, and logout revokes the token", async () => {
    const { email, ip } = fresh();
    await signup(email);
    const res = await login(email, "correct horse battery", ip);
    expect(res.status).toBe(200);
    const { token, expiresAt } = (await res.json()) as { token: string; expiresAt: string };
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now() + 3_600_000);
    const auth = { authorization: `Bearer ${token}` };
    expect((await call("/v1/me", { headers: auth })).status).toBe(200);
    expect((await call("/v1/auth/logout", { method: "POST", headers: auth })).status).toBe(204);
    const after = await call("/v1/me", { headers: auth });
    expect(after.status).toBe(401);
    expect(after.headers.get("www-authenticate")).toContain("Bearer");
  });

  it("gives the same 401 for a wrong password and an unknown email", async () => {
    const { email, ip } = fresh();
    await signup(email);
    const wrong = await login(email, "wrong password!", ip);
    const unknown = await login(`nobody-${email}`, "wrong password!", ip);
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = (await Promise.all([wrong.json(), unknown.json()])) as Record<string, unknown>[];
    expect({ ...a, instance: "" }).toEqual({ ...b, instance: "" });
  });

  it("locks out the client that keeps failing for an email, never the email's owner elsewhere", async () => {
    const { email, ip: victim } = fresh();
    const attacker = `198.51.100.${counter % 250}`;
    await signup(email);
    await roomInRateWindow();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await login(email, "wrong password!", attacker);
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);

    // The owner, from their own address, is not affected by the attacker's failures.
    const owner = await login(email, "correct horse battery", victim);
    expect(owner.status).toBe(200);

    // The attacker's address stays locked out for that email, even with the right password.
    const locked = await login(email, "correct horse battery", attacker);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await locked.json()).toMatchObject({ type: "/problems/rate-limited", status: 429 });
  });

  it("raises login-failures-ceiling when one email fails from many addresses, and still lets its owner in", async () => {
    const { email, ip: victim } = fresh();
    await signup(email);
    await roomInRateWindow();
    // 35 failures, 5 from each of 7 addresses: no pair is over its budget, the email is over 30.
    for (let client = 0; client < 7; client++) {
      for (let i = 0; i < 5; i++) {
        expect((await login(email, "wrong password!", `203.0.113.${client}`)).status).toBe(401);
      }
    }
    const owner = await login(email, "correct horse battery", victim);
    expect(owner.status).toBe(200);

    const watched = await env.DB.prepare("SELECT until FROM login_lockouts WHERE key = ?")
      .bind(`watch:email:${email}`)
      .first<{ until: number }>();
    expect(watched?.until).toBeGreaterThan(Date.now() + 14 * 60_000);
    const now = Date.now();
    const result = await evaluateAlerts(env, now, createLogger({}));
    const firing = await env.DB.prepare("SELECT rule, value FROM alerts WHERE state = 'firing' AND rule = ?")
      .bind("login-failures-ceiling")
      .first<{ rule: string; value: number }>();
    expect(firing?.value).toBeGreaterThanOrEqual(1);
    // Raised by the failing login itself (in the background) or, at the latest, by this evaluation.
    expect(result.resolved).not.toContain("login-failures-ceiling");

    // Once no email is watched any more, the alert resolves.
    const later = now + 16 * 60_000;
    expect((await evaluateAlerts(env, later, createLogger({}))).resolved).toContain("login-failures-ceiling");
  });

  it("throttles repeated failures per client address across many emails", async () => {
    const { ip } = fresh();
    await roomInRateWindow();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await login(`guess${i}-${ip}@example.com`, "wrong password!", ip);
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
  });

  it("signs in the admin from secrets, with the admin role", async () => {
    const { ip } = fresh();
    const res = await login(env.ADMIN_EMAIL, env.ADMIN_PASSWORD, ip);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: { role: "admin", email: env.ADMIN_EMAIL } });
    const wrong = await login(env.ADMIN_EMAIL, "not-it", ip);
    expect(wrong.status).toBe(401);
  });

  it("rejects an expired token", async () => {
    const { email, ip } = fresh();
    await signup(email);
    const res = await login(email, "correct horse battery", ip);
    const { token, user } = (await res.json()) as { token: string; user: { id: string } };
    await env.DB.prepare("UPDATE sessions SET expires_at = ? WHERE user_id = ?")
      .bind(Date.now() - 1, user.id)
      .run();
    expect((await call("/v1/me", { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it("writes no password or token into the logs", async () => {
    const lines = captureLogs();
    const { email, ip } = fresh();
    const s = await signup(email, "buyer", "very-secret-passphrase");
    const { token } = (await s.json()) as { token: string };
    await login(email, "very-secret-passphrase", ip);
    await call("/v1/me", { headers: { authorization: `Bearer ${token}` } });
    expect(lines.length).toBeGreaterThanOrEqual(3);
    const all = lines.join("\n");
    expect(all).not.toContain("very-secret-passphrase");
    expect(all).not.toContain(token);
    const request = lines.map((l) => JSON.parse(l)).find((l) => l.msg === "request" && l.route === "/v1/me");
    expect(request).toMatchObject({
      method: "GET",
      status: 200,
      requestId: expect.any(String),
      traceId: expect.any(String),
    });
    expect(request.userId).toMatch(/^usr_/);
    expect(typeof request.durationMs).toBe("number");
  });
});
