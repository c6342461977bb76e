import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../../src/platform/clock";
import { call, callWith } from "../../support/http";
import { clearOpsTables, insertDeadLetter } from "../../support/ops";
import { readSseEvents } from "../../support/sse";
import { createTestUser, type TestUser } from "../../support/users";

const ORIGIN = "https://crossdock.test";

let admin: TestUser;
let cookie: { cookie: string };
beforeEach(async () => {
  await clearOpsTables();
  admin = await createTestUser("admin");
  cookie = { cookie: `__Host-crossdock-console=${admin.token}` };
});

const page = async (
  path: string,
  fetcher: (path: string, init?: RequestInit) => Response | Promise<Response> = call,
) => {
  const res = await fetcher(path, { headers: cookie });
  expect(res.status, path).toBe(200);
  return res.text();
};

/** A console form post, as a browser on the console's own origin sends it. */
const submit = (path: string, fields: Record<string, string>) =>
  call(path, {
    method: "POST",
    redirect: "manual",
    headers: { ...cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });

const statusOf = async (id: string) =>
  (await env.DB.prepare("SELECT status FROM dead_letters WHERE id = ?").bind(id).first<{ status: string }>())
    ?.status;

const auditActions = async () => {
  const res = await call("/ops/audit?limit=100", { headers: admin.auth });
  return ((await res.json()) as { items: { action: string; status: number; body: unknown }[] }).items;
};

/** The rows of the groups table: consumer, error and letter count, in the page's order. */
const groupRows = (html: string) =>
  [
    ...html.matchAll(/<tr><td>([^<]+)<\/td><td><span[^>]*>([^<]+)<\/span><\/td><td class="num">(\d+)<\/td>/g),
  ].map((m) => `${m[1]} | ${m[2]} | ${m[3]}`);

const letterLinks = (html: string) =>
  [...html.matchAll(/<a href="\/console\/dead-letters\/(dlq_[^"]+)">/g)].map((m) => m[1]);

describe("/console/dead-letters", () => {
  it("groups waiting letters by consumer and error, largest first, and filters to a group", async () => {
    const t = Date.now() - 600_000;
    const a = [];
    for (let i = 0; i < 3; i++)
      a.push(await insertDeadLetter({ lastError: "timeout", firstFailedAt: t + i }));
    const b = [
      await insertDeadLetter({ lastError: "bad address" }),
      await insertDeadLetter({ lastError: "bad address" }),
    ];
    const stats = await insertDeadLetter({
      consumer: "user-stats",
      originQueue: "crossdock-user-stats",
      lastError: "timeout",
    });
    await insertDeadLetter({ lastError: "timeout", status: "redriven", redrivenAt: Date.now() });

    const html = await page("/console/dead-letters");
    expect(html).toContain("<h1>Dead letters</h1>");
    expect(html).toContain("<strong>6</strong> dead letters waiting");
    expect(groupRows(html)).toEqual([
      "email | timeout | 3",
      "email | bad address | 2",
      "user-stats | timeout | 1",
    ]);
    expect(html).toContain(`<time datetime="${new Date(t).toISOString()}">`);
    expect(letterLinks(html).sort()).toEqual([...a, ...b, stats].map((d) => d.id).sort());

    const group = await page("/console/dead-letters?consumer=email&error=timeout");
    expect(letterLinks(group).sort()).toEqual(a.map((d) => d.id).sort());
    expect(group).toContain("Redrive these 3 dead letters as a run");
    expect(group).toContain('<input type="hidden" name="error" value="timeout"');
    const byConsumer = await page("/console/dead-letters?consumer=user-stats");
    expect(groupRows(byConsumer)).toEqual(["user-stats | timeout | 1"]);
  });

  it("with 10,000 dead letters, serves one page and lets D1 count the groups", async () => {
    const base = Date.now() - 86_400_000;
    await env.DB.prepare(
      `INSERT INTO dead_letters (id, origin_queue, consumer, event_id, event_type, envelope, last_error,
         attempts, first_failed_at, last_failed_at, size_bytes, status)
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
       SELECT 'dlq_many_' || printf('%05d', i), 'crossdock-email', 'email', 'evt_many_' || i, 'user.registered',
         '{}', 'error ' || (i % 4), 6, ?1 + i, ?1 + i, 2, 'dead' FROM n`,
    )
      .bind(base)
      .run();
    // Rows handed to the worker by D1, whatever the queries: a page is 51, groups 4, a count 1.
    let returned = 0;
    const counted = (s: D1PreparedStatement): D1PreparedStatement =>
      new Proxy(s, {
        get(target, prop) {
          if (prop === "bind") return (...values: unknown[]) => counted(target.bind(...values));
          if (prop === "all")
            return async () => {
              const r = await target.all();
              returned += r.results.length;
              return r;
            };
          if (prop === "raw")
            return async (options?: { columnNames?: boolean }) => {
              const r = await target.raw(options as { columnNames: true });
              returned += r.length;
              return r;
            };
          if (prop === "first")
            return async (column?: string) => {
              const r = await (column === undefined ? target.first() : target.first(column));
              returned += r === null ? 0 : 1;
              return r;
            };
          const value = Reflect.get(target, prop, target);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    const DB = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === "prepare") return (query: string) => counted(target.prepare(query));
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const app = callWith({ clock: systemClock, bindings: { DB } });

    const html = await page("/console/dead-letters", app);
    expect(html).toContain("<strong>10000</strong> dead letters waiting");
    expect(groupRows(html)).toEqual([
      "email | error 0 | 2500",
      "email | error 1 | 2500",
      "email | error 2 | 2500",
      "email | error 3 | 2500",
    ]);
    const first = letterLinks(html);
    expect(first).toHaveLength(50);
    expect(first[0]).toBe("dlq_many_10000");
    expect(returned).toBeLessThan(100);

    const next = html.match(/<a href="(\/console\/dead-letters\?cursor=[^"]+)">Next page<\/a>/)?.[1];
    expect(next).toBeDefined();
    const second = letterLinks(await page((next as string).replaceAll("&amp;", "&"), app));
    expect(second).toHaveLength(50);
    expect(second[0]).toBe("dlq_many_09950");
  });

  it("refuses a bad cursor or filter with a 400 problem, an unknown letter with a 404", async () => {
    for (const path of [
      "/console/dead-letters?cursor=%25%25",
      `/console/dead-letters?error=${"x".repeat(4097)}`,
    ]) {
      const res = await call(path, { headers: cookie });
      expect(res.status, path).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await call("/console/dead-letters/dlq_nope", { headers: cookie })).status).toBe(404);
  });
});

describe("/console/dead-letters/:id and its actions", () => {
  it("shows the envelope and last error; redrives it once, audited as the API's redrive", async () => {
    const dl = await insertDeadLetter({ lastError: "provider said 503" });
    const html = await page(`/console/dead-letters/${dl.id}`);
    expect(html).toContain("<pre>provider said 503</pre>");
    expect(html).toMatch(/<pre>\{\n {2}\S/); // the envelope, pretty-printed
    expect(html).toContain(dl.eventId);
    expect(html).toContain(`action="/console/dead-letters/${dl.id}/redrive"`);

    const res = await submit(`/console/dead-letters/${dl.id}/redrive`, {});
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(new RegExp(`^/console/dead-letters/${dl.id}\\?done=`));
    expect(await statusOf(dl.id)).toBe("redriven");
    const after = await page(res.headers.get("location") as string);
    expect(after).toContain('role="status"');
    expect(after).not.toContain(`/console/dead-letters/${dl.id}/redrive`);

    const again = await submit(`/console/dead-letters/${dl.id}/redrive`, {});
    expect(again.headers.get("location")).toContain("failed=");
    const actions = await auditActions();
    expect(actions.map((a) => `${a.action} ${a.status}`)).toEqual([
      "dead-letters.redrive 303",
      "dead-letters.redrive 303",
    ]);
  });

  it("discards only with a reason, kept in the audit log; a post from another site is refused", async () => {
    const dl = await insertDeadLetter();
    expect((await submit(`/console/dead-letters/${dl.id}/discard`, { reason: " " })).status).toBe(400);
    expect(await statusOf(dl.id)).toBe("dead");
    const foreign = await call(`/console/dead-letters/${dl.id}/discard`, {
      method: "POST",
      headers: {
        ...cookie,
        origin: "https://evil.example",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "reason=gone",
    });
    expect(foreign.status).toBe(403);

    const res = await submit(`/console/dead-letters/${dl.id}/discard`, {
      reason: "Test account, not a customer",
    });
    expect(res.status).toBe(303);
    expect(await statusOf(dl.id)).toBe("discarded");
    const [latest] = await auditActions();
    expect(latest).toMatchObject({
      action: "dead-letters.discard",
      status: 303,
      body: { reason: "Test account, not a customer" },
    });
  });
});

describe("/console/dead-letters/runs", () => {
  it("starts a run from a group, shows it live, and pauses and cancels it, audited as the API's", async () => {
    const error = `group ${crypto.randomUUID()}`;
    for (let i = 0; i < 12; i++) await insertDeadLetter({ lastError: error });
    const bad = await submit("/console/dead-letters/redrive-runs", {
      error,
      batchSize: "0",
      ratePerSecond: "1",
    });
    expect(bad.status).toBe(400);
    const none = await submit("/console/dead-letters/redrive-runs", {
      error: "no such error",
      batchSize: "5",
      ratePerSecond: "1",
    });
    expect(none.headers.get("location")).toContain("failed=");

    const res = await submit("/console/dead-letters/redrive-runs", {
      consumer: "email",
      error,
      batchSize: "5",
      ratePerSecond: "0.1",
    });
    expect(res.status).toBe(303);
    const location = res.headers.get("location") as string;
    const id = location.match(/^\/console\/dead-letters\/runs\/(rdr_[^?]+)\?done=/)?.[1] as string;
    expect(id).toBeDefined();

    const html = await page(`/console/dead-letters/runs/${id}`);
    expect(html).toContain(`data-live="/console/dead-letters/runs/${id}/live"`);
    expect(html).toContain('<span class="figure" data-field="total">12</span>');
    expect(html).toContain('<script type="module" src="/console/dead-letters.js"></script>');

    const paused = await submit(`/console/dead-letters/runs/${id}/pause`, {});
    expect(paused.headers.get("location")).toBe(
      `/console/dead-letters/runs/${id}?done=The%20run%20is%20paused.`,
    );
    const cancelled = await submit(`/console/dead-letters/runs/${id}/cancel`, {});
    expect(cancelled.status).toBe(303);
    const refused = await submit(`/console/dead-letters/runs/${id}/resume`, {});
    expect(refused.headers.get("location")).toContain("failed=");

    // The live figures of an ended run: its state once, then the stream ends.
    const live = await call(`/console/dead-letters/runs/${id}/live`, { headers: cookie });
    expect(live.headers.get("content-type")).toContain("text/event-stream");
    const events = await readSseEvents(live);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ event: "figures", data: { state: "cancelled", total: 12 } });

    expect((await auditActions()).map((a) => `${a.action} ${a.status}`).reverse()).toEqual([
      "dead-letters.redrive-run 400",
      "dead-letters.redrive-run 303",
      "dead-letters.redrive-run 303",
      "dead-letters.redrive-run.pause 303",
      "dead-letters.redrive-run.cancel 303",
      "dead-letters.redrive-run.resume 303",
    ]);
    expect((await call("/console/dead-letters/runs/rdr_nope", { headers: cookie })).status).toBe(404);
  });
});
