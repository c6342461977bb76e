import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Handler } from "hono";
import { describe, expect, it } from "vitest";
import { NotFoundError } from "../../src/platform/errors";
import { dedupKey } from "../../src/platform/events/dedup-client";
import type { LeaseClock } from "../../src/platform/events/dedup-lease";
import type { AppEnv } from "../../src/platform/http/app-env";
import { handleError } from "../../src/platform/http/error-handler";
import { type IdempotencyOptions, idempotency } from "../../src/platform/http/idempotency";
import { HEARTBEAT_MS, LEASE_MS } from "../../src/platform/http/idempotency-lease";
import { requestContext } from "../../src/platform/http/request-context";
import { createRouter } from "../../src/platform/http/router";
import { authenticate } from "../../src/routes/accounts/authenticate";
import { call, postJson } from "../support/http";
import { captureLogs } from "../support/logs";
import { createTestUser } from "../support/users";

interface Problem {
  type: string;
  status: number;
}

const newKey = () => crypto.randomUUID();

const createKey = (auth: Record<string, string>, key: string | null, body: unknown) =>
  postJson("/v1/api-keys", body, key === null ? auth : { ...auth, "idempotency-key": key });

async function keysInD1(userId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM api_keys WHERE user_id = ?")
    .bind(userId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe("Idempotency-Key on POST /v1/api-keys", () => {
  const body = { name: "sync", scopes: ["catalog:write"] };

  it("replays the first answer, secret included, and creates one key", async () => {
    const merchant = await createTestUser("merchant");
    const key = newKey();
    const first = await createKey(merchant.auth, key, body);
    const second = await createKey(merchant.auth, key, body);

    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.headers.get("location")).toBe(first.headers.get("location"));
    expect(second.headers.get("content-type")).toBe(first.headers.get("content-type"));
    // The request id is the retry's own; the body is the first answer's.
    expect(second.headers.get("x-request-id")).not.toBe(first.headers.get("x-request-id"));
    expect(await second.text()).toBe(await first.text());

    const list = (await (await call("/v1/api-keys", { headers: merchant.auth })).json()) as {
      items: unknown[];
    };
    expect(list.items).toHaveLength(1);
  });

  it("refuses the same key with another payload (422) and creates nothing more", async () => {
    const merchant = await createTestUser("merchant");
    const key = newKey();
    expect((await createKey(merchant.auth, key, body)).status).toBe(201);
    const reused = await createKey(merchant.auth, key, { ...body, name: "other" });
    expect(reused.status).toBe(422);
    expect(reused.headers.get("content-type")).toContain("application/problem+json");
    expect(await reused.json()).toMatchObject({ type: "/problems/idempotency-key-reused", status: 422 });
    expect(await keysInD1(merchant.id)).toBe(1);
  });

  it("creates exactly one key for concurrent duplicates; the other waits (409) or replays", async () => {
    const merchant = await createTestUser("merchant");
    const key = newKey();
    const answers = await Promise.all([
      createKey(merchant.auth, key, body),
      createKey(merchant.auth, key, body),
    ]);
    const replayed = (r: Response) => r.headers.get("idempotent-replayed") === "true";
    const fresh = answers.filter((r) => r.status === 201 && !replayed(r));
    expect(fresh).toHaveLength(1);
    const other = answers.find((r) => r !== fresh[0]) as Response;
    if (other.status === 409) {
      expect(Number(other.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(await other.json()).toMatchObject({ type: "/problems/idempotency-request-in-flight" });
    } else {
      expect(other.status).toBe(201);
      expect(replayed(other)).toBe(true);
    }
    expect(await keysInD1(merchant.id)).toBe(1);
  });

  it("keeps each caller's keys apart", async () => {
    const a = await createTestUser("merchant");
    const b = await createTestUser("merchant");
    const key = newKey();
    const fromA = await createKey(a.auth, key, body);
    const fromB = await createKey(b.auth, key, body);
    expect([fromA.status, fromB.status]).toEqual([201, 201]);
    expect(fromB.headers.get("idempotent-replayed")).toBeNull();
    expect(((await fromA.json()) as { id: string }).id).not.toBe(((await fromB.json()) as { id: string }).id);
    expect([await keysInD1(a.id), await keysInD1(b.id)]).toEqual([1, 1]);
  });

  it("stores a refused request too: the same retry replays the 400, a corrected one needs a new key", async () => {
    const merchant = await createTestUser("merchant");
    const key = newKey();
    const bad = { name: "x", scopes: ["root"] };
    const first = await createKey(merchant.auth, key, bad);
    expect(first.status).toBe(400);
    const again = await createKey(merchant.auth, key, bad);
    expect(again.status).toBe(400);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.text()).toBe(await first.text());

    expect((await createKey(merchant.auth, key, body)).status).toBe(422);
    expect((await createKey(merchant.auth, newKey(), body)).status).toBe(201);
    expect(await keysInD1(merchant.id)).toBe(1);
  });

  it("changes nothing without the header, and rejects malformed keys with 400", async () => {
    const merchant = await createTestUser("merchant");
    expect((await createKey(merchant.auth, null, body)).status).toBe(201);
    expect((await createKey(merchant.auth, null, body)).status).toBe(201);
    expect(await keysInD1(merchant.id)).toBe(2);
    for (const bad of ["", "k".repeat(256), '"unterminated']) {
      const res = await createKey(merchant.auth, bad, body);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(((await res.json()) as Problem).type).toBe("/problems/idempotency-key-invalid");
    }
    expect(await keysInD1(merchant.id)).toBe(2);
  });

  it("is documented in the OpenAPI contract", async () => {
    const doc = (await (await call("/openapi.json")).json()) as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: { name: string; in: string; required?: boolean }[];
            responses: Record<string, { headers?: Record<string, unknown> }>;
          }
        >
      >;
    };
    const post = doc.paths["/v1/api-keys"]?.post;
    expect(post?.parameters).toContainEqual(
      expect.objectContaining({ name: "idempotency-key", in: "header" }),
    );
    expect(post?.parameters?.find((p) => p.name === "idempotency-key")?.required).not.toBe(true);
    expect(Object.keys(post?.responses ?? {})).toEqual(expect.arrayContaining(["409", "422"]));
    expect(post?.responses["201"]?.headers).toHaveProperty("Idempotent-Replayed");
  });
});

/**
 * A handler whose first run waits at a gate until the test opens it; later runs (a retry that
 * wrongly took the key over) answer at once, so such a bug fails fast instead of hanging.
 */
function gatedHandler() {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let entered!: () => void;
  const started = new Promise<void>((resolve) => {
    entered = resolve;
  });
  let runs = 0;
  const handler: Handler<AppEnv> = async (c) => {
    if (++runs === 1) {
      entered();
      await gate;
    }
    return c.json({ runs }, 201);
  };
  return { handler, started, open, runs: () => runs };
}

/** A clock whose time and heartbeat move only when the test says so. */
function manualClock(start: number) {
  let now = start;
  const beats = new Map<() => Promise<void>, number>();
  const clock: LeaseClock = {
    now: () => now,
    every(ms, beat) {
      beats.set(beat, ms);
      return () => beats.delete(beat);
    },
  };
  return {
    clock,
    advance: (ms: number) => {
      now += ms;
    },
    /** Runs every live heartbeat once and waits for its renewal. */
    beat: () => Promise.all([...beats.keys()].map((beat) => beat())),
    /** The live heartbeat's interval, or null when none runs. */
    interval: () => (beats.size === 0 ? null : [...beats.values()][0]),
  };
}

/** A throwaway app with the production error handler, for behaviour no real route shows on demand. */
function appWith(handler: Handler<AppEnv>, options: IdempotencyOptions = {}) {
  const app = createRouter();
  app.onError(handleError);
  app.use(requestContext);
  app.post("/things", authenticate({ scope: "catalog:write" }), idempotency(options), handler);
  return (headers: Record<string, string>, body = '{"n":1}') =>
    app.request(
      "/things",
      { method: "POST", headers: { "content-type": "application/json", ...headers }, body },
      env,
      createExecutionContext(),
    );
}

describe("idempotency middleware", () => {
  it("answers 400 when a required key is missing, without running the handler", async () => {
    const user = await createTestUser("merchant");
    let runs = 0;
    const send = appWith((c) => c.json({ runs: ++runs }, 201), { required: true });
    const res = await send(user.auth);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: "/problems/idempotency-key-missing" });
    expect(runs).toBe(0);
    expect((await send({ ...user.auth, "idempotency-key": newKey() })).status).toBe(201);
  });

  it("answers a retry during the first request with 409 and Retry-After, then replays", async () => {
    const user = await createTestUser("merchant");
    const { handler, started, open, runs } = gatedHandler();
    const send = appWith(handler);
    const headers = { ...user.auth, "idempotency-key": newKey() };
    const first = send(headers);
    await started;
    const during = await send(headers);
    expect(during.status).toBe(409);
    const retryAfter = Number(during.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(LEASE_MS / 1000);
    expect(await during.json()).toMatchObject({
      type: "/problems/idempotency-request-in-flight",
      status: 409,
    });
    open();
    expect((await first).status).toBe(201);
    const after = await send(headers);
    expect(after.headers.get("idempotent-replayed")).toBe("true");
    expect(await after.json()).toEqual({ runs: 1 });
    expect(runs()).toBe(1);
  });

  it("frees the key after a 5xx answer or a thrown error, so the retry runs again", async () => {
    const user = await createTestUser("merchant");
    let runs = 0;
    const send = appWith((c) => {
      runs++;
      if (runs === 1) return c.json({ error: "down" }, 503);
      if (runs === 2) throw new Error("boom");
      return c.json({ runs }, 201);
    });
    const headers = { ...user.auth, "idempotency-key": newKey() };
    expect((await send(headers)).status).toBe(503);
    expect((await send(headers)).status).toBe(500);
    const ok = await send(headers);
    expect(ok.status).toBe(201);
    expect(ok.headers.get("idempotent-replayed")).toBeNull();
    expect(runs).toBe(3);
    expect((await send(headers)).headers.get("idempotent-replayed")).toBe("true");
    expect(runs).toBe(3);
  });

  it("replays a thrown client error instead of running the handler again", async () => {
    const user = await createTestUser("merchant");
    let runs = 0;
    const send = appWith(() => {
      runs++;
      throw new NotFoundError("thing", "t1");
    });
    const headers = { ...user.auth, "idempotency-key": newKey() };
    const first = await send(headers);
    const second = await send(headers);
    expect([first.status, second.status]).toEqual([404, 404]);
    expect(second.headers.get("content-type")).toContain("application/problem+json");
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(runs).toBe(1);
  });

  it("takes over a key whose holder died mid-request, and logs a warning", async () => {
    const user = await createTestUser("merchant");
    const key = newKey();
    // A holder that claimed the key two minutes ago and never finished (its lease is long over).
    await dedupKey(env, `http:${user.id}`, key, 1).claim({
      leaseMs: 60_000,
      ttlMs: 86_400_000,
      now: Date.now() - 120_000,
    });
    let runs = 0;
    const send = appWith((c) => c.json({ runs: ++runs }, 201));
    const lines = captureLogs();
    const res = await send({ ...user.auth, "idempotency-key": key });
    expect(res.status).toBe(201);
    expect(runs).toBe(1);
    const warning = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === "idempotency.reclaimed");
    expect(warning).toMatchObject({ level: "warn", idempotencyKey: key, userId: user.id, path: "/things" });
  });

  it("refuses a retry while a dead holder's lease runs, with the time left as Retry-After, then takes over", async () => {
    const user = await createTestUser("merchant");
    const key = newKey();
    const time = manualClock(Date.now());
    const claimedAt = time.clock.now();
    // The holder's process died right after claiming: nothing renews its lease.
    await dedupKey(env, `http:${user.id}`, key, 1).claim({
      leaseMs: LEASE_MS,
      ttlMs: 86_400_000,
      now: claimedAt,
    });
    let runs = 0;
    const send = appWith((c) => c.json({ runs: ++runs }, 201), { clock: time.clock });
    const headers = { ...user.auth, "idempotency-key": key };

    time.advance(3_500);
    const during = await send(headers);
    expect(during.status).toBe(409);
    expect(during.headers.get("retry-after")).toBe(String(Math.ceil((LEASE_MS - 3_500) / 1000)));
    expect(runs).toBe(0);

    time.advance(LEASE_MS - 3_500);
    const after = await send(headers);
    expect(after.status).toBe(201);
    expect(runs).toBe(1);
  });

  it("keeps a live slow request's key past LEASE_MS by renewing it, so a retry never takes it over", async () => {
    const user = await createTestUser("merchant");
    const time = manualClock(Date.now());
    const { handler, started, open, runs } = gatedHandler();
    const send = appWith(handler, { clock: time.clock });
    const headers = { ...user.auth, "idempotency-key": newKey() };
    const first = send(headers);
    await started;
    expect(time.interval()).toBe(HEARTBEAT_MS);

    // Three lease lengths pass, the heartbeat renewing the lease at each beat.
    let lastBeat = time.clock.now();
    for (let elapsed = 0; elapsed < 3 * LEASE_MS; elapsed += HEARTBEAT_MS) {
      time.advance(HEARTBEAT_MS);
      await time.beat();
      lastBeat = time.clock.now();
    }
    time.advance(1_000);
    const during = await send(headers);
    expect(during.status).toBe(409);
    expect(during.headers.get("retry-after")).toBe(String((lastBeat + LEASE_MS - time.clock.now()) / 1000));
    expect(runs()).toBe(1);

    open();
    expect((await first).status).toBe(201);
    // The heartbeat stopped with the request.
    expect(time.interval()).toBeNull();
    const after = await send(headers);
    expect(after.headers.get("idempotent-replayed")).toBe("true");
    expect(runs()).toBe(1);
  });

  it("scopes keys to the user: a session and an API key of one account share them", async () => {
    const merchant = await createTestUser("merchant");
    const issued = await createKey(merchant.auth, null, { name: "k", scopes: ["catalog:write"] });
    const apiKey = ((await issued.json()) as { key: string }).key;
    let runs = 0;
    const send = appWith((c) => c.json({ runs: ++runs }, 201));
    const key = newKey();
    expect((await send({ authorization: `Bearer ${apiKey}`, "idempotency-key": key })).status).toBe(201);
    const viaSession = await send({ ...merchant.auth, "idempotency-key": key });
    expect(viaSession.headers.get("idempotent-replayed")).toBe("true");
    expect(runs).toBe(1);
  });

  it("treats a body that differs only in formatting as a different request", async () => {
    const user = await createTestUser("merchant");
    const send = appWith((c) => c.json({}, 201));
    const headers = { ...user.auth, "idempotency-key": newKey() };
    expect((await send(headers, '{"n":1}')).status).toBe(201);
    expect((await send(headers, '{"n": 1}')).status).toBe(422);
  });
});
