import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../../src/platform/db/client";
import { idTimeFloor } from "../../../src/platform/ids";
import { eventListQuery } from "../../../src/routes/console/records/event-list";
import { type ConsoleAdmin, consoleAdmin } from "../../support/console-admin";
import { linkedIds, nextPageOf, pageOf } from "../../support/console-records";
import { clearOpsTables } from "../../support/ops";

const FACTS = 100_000;
const CHUNK = 25_000;
/** Whole seconds, so a `before` filter (seconds at most) can fall exactly between two facts. */
const BASE = Math.floor((Date.now() - 2 * FACTS) / 1000) * 1000;
/** Fact n is created at BASE + n ms, with an id made as `newId("evt", BASE + n)` makes one. */
const seededId = (n: number) => `${idTimeFloor("evt", BASE + n)}${String(n).padStart(16, "0")}`;

// newId's ten characters of time, in SQL: five bits at a time from the top, in Crockford base32.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const TIME_PART = Array.from(
  { length: 10 },
  (_, k) => `substr('${ALPHABET}', ((t >> ${5 * (9 - k)}) & 31) + 1, 1)`,
).join(" || ");

let ui: ConsoleAdmin;

// 100,000 facts in four statements: a recursive CTE makes the rows inside SQLite instead of binding
// them one by one. Every tenth is an `order.placed`, the rest `user.registered`; all settled.
beforeAll(async () => {
  await clearOpsTables();
  const seed = env.DB.prepare(
    `INSERT INTO outbox (id, type, subject, correlation_id, envelope, created_at, published_at, publish_attempts, settled_at)
     WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2),
       s(i, t) AS (SELECT i, ?3 + i FROM n)
     SELECT 'evt_' || ${TIME_PART} || printf('%016d', i),
            CASE WHEN i % 10 = 0 THEN 'order.placed' ELSE 'user.registered' END,
            'usr_seed' || (i % 1000), 'req-seed-' || (i / 100), '{}',
            t, t + 5, 1, t + 50
     FROM s`,
  );
  const chunks = [];
  for (let from = 1; from <= FACTS; from += CHUNK) chunks.push(seed.bind(from, from + CHUNK - 1, BASE));
  await env.DB.batch(chunks);
  ui = await consoleAdmin();
}, 120_000);
afterAll(() => clearOpsTables());

const cursorOf = (path: string) =>
  new URL(path, "https://crossdock.test").searchParams.get("cursor") ?? undefined;

describe("/console/events over 100,000 facts", () => {
  it("has them all", async () => {
    const row = await env.DB.prepare("SELECT count(*) AS n FROM outbox").first<{ n: number }>();
    expect(row?.n).toBe(FACTS);
  });

  it("answers the newest pages, each with one seek that reads about a page of rows", async () => {
    const first = await pageOf(await ui.get("/console/events?limit=50"));
    const top = Array.from({ length: 50 }, (_, i) => seededId(FACTS - i));
    expect(linkedIds(first, "/console/events/")).toEqual(top);

    const next = nextPageOf(first)!;
    const second = await pageOf(await ui.get(next));
    expect(linkedIds(second, "/console/events/")).toEqual(
      Array.from({ length: 50 }, (_, i) => seededId(FACTS - 50 - i)),
    );

    // By construction: the second page's query, as the page ran it, reads ~limit + 1 rows, not the
    // table (a scan or a sort would read all 100,000).
    const { sql, params } = eventListQuery(getDb(env.DB), { limit: 50, cursor: cursorOf(next) }).toSQL();
    const run = await env.DB.prepare(sql)
      .bind(...params)
      .all();
    expect(run.results).toHaveLength(51);
    expect(run.meta.rows_read).toBeGreaterThan(0);
    expect(run.meta.rows_read).toBeLessThan(200);
  });

  it("filters one type out of the large table, page after page", async () => {
    const first = await pageOf(await ui.get("/console/events?type=order.placed&limit=20"));
    expect(linkedIds(first, "/console/events/")).toEqual(
      Array.from({ length: 20 }, (_, i) => seededId(FACTS - 10 * i)),
    );
    const second = await pageOf(await ui.get(nextPageOf(first)!));
    expect(linkedIds(second, "/console/events/")[0]).toBe(seededId(FACTS - 200));
  });

  it("jumps to a time with one seek too", async () => {
    // Facts 1…49,999 were created before BASE + 50 s; the page starts at the newest of them.
    const before = new Date(BASE + 50_000).toISOString().slice(0, 19);
    const html = await pageOf(await ui.get(`/console/events?before=${before}&limit=10`));
    expect(linkedIds(html, "/console/events/")).toEqual(
      Array.from({ length: 10 }, (_, i) => seededId(49_999 - i)),
    );
    const { sql, params } = eventListQuery(getDb(env.DB), { limit: 10, before }).toSQL();
    const run = await env.DB.prepare(sql)
      .bind(...params)
      .all();
    expect(run.meta.rows_read).toBeLessThan(100);
  });

  it("answers a bad cursor with a 400 page", async () => {
    const html = await pageOf(await ui.get("/console/events?cursor=eyJ2IjoyfQ"), 400);
    expect(html).toContain("The cursor is malformed.");
  });
});
