import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { products } from "../../../../src/flows/catalog/schema";
import { readCounters, resetCounters } from "../../../../src/platform/costs/meter";
import { meteredEnv } from "../../../../src/platform/costs/metered-env";
import { getDb, openSession } from "../../../../src/platform/db/client";
import { perBinding, perBindingAndKey } from "../../../../src/platform/db/prepared";
import { isBookmark, laterBookmark } from "../../../../src/platform/db/sessions";

// Locally there is one database: every session is served by it, yet bookmarks behave as in production
// (a session opened from one starts there, each query moves it on), which is what these pin down.

const LOCAL_BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

describe("D1 sessions in local workerd (one database)", () => {
  it("opens sessions from a constraint or a bookmark, and a bookmark only moves forward", async () => {
    const reads = env.DB.withSession("first-unconstrained");
    expect(reads.getBookmark()).toBeNull(); // nothing ran yet
    await reads.prepare("SELECT 1").all();
    const first = reads.getBookmark();
    expect(first).toMatch(LOCAL_BOOKMARK);

    const writes = env.DB.withSession("first-primary");
    await writes.prepare("CREATE TABLE IF NOT EXISTS session_probe (x INTEGER)").run();
    await writes.prepare("INSERT INTO session_probe VALUES (1)").run();
    const written = writes.getBookmark() ?? "";
    expect(written > (first ?? "")).toBe(true);

    // A session from a bookmark starts at it and reads the write behind it.
    const after = env.DB.withSession(written);
    expect(after.getBookmark()).toBe(written);
    const [row] = await getDb(after).all<{ n: number }>(sql`SELECT count(*) AS n FROM session_probe`);
    expect(row?.n).toBeGreaterThan(0);
    expect((after.getBookmark() ?? "") >= written).toBe(true);
    expect(isBookmark(written)).toBe(true);
  });

  it("runs drizzle on a session, batches included", async () => {
    const session = env.DB.withSession("first-primary");
    const db = getDb(session);
    await db.run(sql`CREATE TABLE IF NOT EXISTS session_probe (x INTEGER)`);
    const [, counted] = await db.batch([
      db.run(sql`INSERT INTO session_probe VALUES (2)`),
      db.all<{ n: number }>(sql`SELECT count(*) AS n FROM session_probe WHERE x = 2`),
    ]);
    expect(counted[0]?.n).toBeGreaterThan(0);
    expect(session.getBookmark()).toMatch(LOCAL_BOOKMARK);
  });
});

describe("statements prepared once per binding, on a session", () => {
  it("runs the binding's prepared statement on a session opened with openSession, rendering no SQL again", async () => {
    const build = vi.fn((db: ReturnType<typeof getDb>) =>
      db
        .select({ id: products.id })
        .from(products)
        .where(eq(products.id, sql.placeholder("id")))
        .prepare(),
    );
    const lookup = perBinding(build);
    const keyed = perBindingAndKey((db, _n: number) => build(db));
    const onBinding = lookup(env.DB);
    const session = openSession(env.DB, "first-unconstrained");
    const onSession = lookup(session);
    expect(onSession).not.toBe(onBinding);
    expect(await onSession.all({ id: "prd_none" })).toEqual([]);
    // It ran on the session (which now has a bookmark), and the binding's statement was built once.
    expect(session.getBookmark()).toMatch(LOCAL_BOOKMARK);
    expect(keyed(env.DB, 1)).toBe(keyed(env.DB, 1));
    expect(await keyed(openSession(env.DB, "first-primary"), 1).all({ id: "prd_none" })).toEqual([]);
    expect(build).toHaveBeenCalledTimes(2); // once per family, for the binding

    // A session the binding does not know of gets statements of its own.
    lookup(env.DB.withSession("first-unconstrained"));
    expect(build).toHaveBeenCalledTimes(3);
  });
});

describe("metering sessions", () => {
  beforeEach(() => resetCounters());

  it("counts a session's queries and rows like the binding's, through drizzle's raw reads and batches", async () => {
    const db = meteredEnv(env, { flow: "probe" }).DB;
    await db.exec("CREATE TABLE IF NOT EXISTS session_cost_probe (x INTEGER)");
    await db.prepare("DELETE FROM session_cost_probe").run();
    resetCounters();

    const session = db.withSession("first-primary");
    await session.prepare("INSERT INTO session_cost_probe VALUES (1), (2), (3)").run();
    await session.batch([session.prepare("INSERT INTO session_cost_probe VALUES (4)")]);
    // drizzle reads a select with fields through raw(), whose answer has no meta of its own.
    const rows = await getDb(session).all(sql`SELECT x FROM session_cost_probe`);
    expect(rows).toHaveLength(4);
    expect(await session.prepare("SELECT count(*) AS n FROM session_cost_probe").first("n")).toBe(4);

    const probe = readCounters().total.flows.probe;
    expect(probe).toMatchObject({ d1Queries: 4, d1RowsWritten: 4, d1QueriesWithoutMeta: 0 });
    expect(probe?.d1RowsRead).toBeGreaterThanOrEqual(8);
    // The metered session is still a session: it hands out its bookmark.
    expect(session.getBookmark()).toMatch(LOCAL_BOOKMARK);
  });
});

describe("bookmark shape and order", () => {
  it("accepts hyphen-separated hex groups and refuses anything else", () => {
    expect(isBookmark("00000000-0000000a-00000000-0f1e2d3c4b5a69788796a5b4c3d2e1f0")).toBe(true);
    expect(isBookmark("0000007b-0000b26e")).toBe(true);
    for (const bad of [
      "",
      "first-primary",
      "first-unconstrained",
      "abc def",
      "-00",
      "00--00",
      "a".repeat(129),
    ])
      expect(isBookmark(bad), bad).toBe(false);
  });

  it("takes the later of two bookmarks, either missing", () => {
    expect(laterBookmark("00000001-00", "00000002-00")).toBe("00000002-00");
    expect(laterBookmark("00000003-00", "00000002-00")).toBe("00000003-00");
    expect(laterBookmark(undefined, "00000002-00")).toBe("00000002-00");
    expect(laterBookmark("00000002-00", null)).toBe("00000002-00");
    expect(laterBookmark(null, undefined)).toBeNull();
  });
});
