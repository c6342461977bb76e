import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { evaluateAlerts } from "../../../src/flows/ops/alerting";
import type { Clock } from "../../../src/platform/clock";
import { createLogger } from "../../../src/platform/observability/logger";
import { LOCKOUT_SECONDS } from "../../../src/routes/accounts/login-throttle";
import { manualClock } from "../../support/clock";
import { call, callWith, postJson } from "../../support/http";
import { captureLogs } from "../../support/logs";

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

/** Signs in from a client address (what the throttle keys on besides the email). */
const login = (email: string, password: string, ip: string) =>
  postJson("/v1/auth/login", { email, password }, { "cf-connecting-ip": ip });

type LoginLimiter = "LOGIN_FAILURES_BY_EMAIL_CLIENT" | "LOGIN_FAILURES_BY_CLIENT" | "LOGIN_FAILURES_BY_EMAIL";

/** The failures per 60 s that wrangler.toml allows each login limiter (checked against the bindings below). */
const LOGIN_BUDGETS: Record<LoginLimiter, number> = {
  LOGIN_FAILURES_BY_EMAIL_CLIENT: 5,
  LOGIN_FAILURES_BY_CLIENT: 20,
  LOGIN_FAILURES_BY_EMAIL: 30,
};

/** A limiter that counts as the rate-limiting binding does, in fixed windows of `clock`'s time. */
function windowLimiter(limit: number, periodMs: number, clock: Pick<Clock, "now">): RateLimit {
  const buckets = new Map<string, { window: number; count: number }>();
  return {
    async limit({ key }) {
      const window = Math.floor(clock.now() / periodMs);
      const bucket = buckets.get(key);
      const count = bucket?.window === window ? bucket.count : 0;
      if (count >= limit) return { success: false };
      buckets.set(key, { window, count: count + 1 });
      return { success: true };
    },
  };
}

/**
 * Logins on a clock the test moves. The rate-limiting bindings count in fixed windows of the wall
 * clock, which no test can move (these tests once waited for room in the current minute): here the app
 * reads time from a manual clock, and its limiters count as the bindings do, with their budgets, in
 * windows of that clock.
 */
function throttledLogins() {
  const time = manualClock();
  const bindings: Partial<Env> = {};
  for (const [name, budget] of Object.entries(LOGIN_BUDGETS) as [LoginLimiter, number][]) {
    bindings[name] = windowLimiter(budget, 60_000, time.clock);
  }
  const send = callWith({ clock: time.clock, bindings });
  const signIn = (email: string, password: string, ip: string) =>
    send("/v1/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": ip },
      body: JSON.stringify({ email, password }),
    });
  return { time, login: signIn };
}

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
    const { login } = throttledLogins();
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
    const { time, login } = throttledLogins();
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
    expect(watched?.until).toBeGreaterThan(time.now() + 14 * 60_000);
    const now = time.now();
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
    const { login } = throttledLogins();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await login(`guess${i}-${ip}@example.com`, "wrong password!", ip);
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
  });

  it("lets a locked-out client in once its lockout has run, and not a second before", async () => {
    const { email, ip } = fresh();
    await signup(email);
    const { time, login } = throttledLogins();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await login(email, "wrong password!", ip)).status);
    expect(statuses.at(-1)).toBe(429);

    time.advance(LOCKOUT_SECONDS * 1000 - 1000);
    const early = await login(email, "correct horse battery", ip);
    expect(early.status).toBe(429);
    expect(early.headers.get("retry-after")).toBe("1");

    time.advance(1000);
    expect((await login(email, "correct horse battery", ip)).status).toBe(200);
  });

  it("counts failures with the budgets the tests' limiters use", async () => {
    // The bindings' windows follow the wall clock: a burst that straddles two of them is made again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const minute = Math.floor(Date.now() / 60_000);
      const key = `budget-check-${crypto.randomUUID()}`;
      const allowed = await Promise.all(
        (Object.keys(LOGIN_BUDGETS) as LoginLimiter[]).map(async (name) => {
          let n = 0;
          for (let i = 0; i <= LOGIN_BUDGETS[name]; i++) if ((await env[name].limit({ key })).success) n++;
          return [name, n];
        }),
      );
      if (Math.floor(Date.now() / 60_000) !== minute) continue;
      expect(Object.fromEntries(allowed)).toEqual(LOGIN_BUDGETS);
      return;
    }
    throw new Error("every burst straddled a minute");
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
