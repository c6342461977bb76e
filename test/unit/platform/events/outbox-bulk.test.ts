import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../../../src/platform/db/client";
import { outboxBulkStatements, outboxStatements } from "../../../../src/platform/events/outbox";
import { aRegistration } from "../../../support/events";

const rowsOf = async (ids: readonly string[]) =>
  (
    await env.DB.prepare(
      "SELECT id, type, subject, correlation_id, envelope, created_at, published_at, publish_attempts, last_error, settled_at FROM outbox WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
    )
      .bind(JSON.stringify(ids))
      .all()
  ).results;

describe("outboxBulkStatements", () => {
  it("writes a thousand events in 4 statements, each row as outboxStatements writes it", async () => {
    const db = getDb(env.DB);
    const now = Date.now();
    const events = Array.from({ length: 1000 }, () => aRegistration());
    const bulk = outboxBulkStatements(db, events, undefined, now);
    expect(bulk).toHaveLength(4);
    const [first, ...rest] = bulk;
    await db.batch([first!, ...rest]);

    const ids = events.map((e) => e.id);
    const written = await rowsOf(ids);
    expect(written).toHaveLength(1000);
    // The same rows, one insert each, for comparison.
    await env.DB.prepare("DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))")
      .bind(JSON.stringify(ids))
      .run();
    const [one, ...others] = outboxStatements(db, events, undefined, now);
    await db.batch([one!, ...others]);
    expect(await rowsOf(ids)).toEqual(written);
  });

  it("takes the caller's ON CONFLICT, and writes the request record once", async () => {
    const db = getDb(env.DB);
    const events = [aRegistration(), aRegistration()];
    const requestId = `req-${crypto.randomUUID()}`;
    const record = { requestId, method: "POST", path: "/x", userId: null, traceId: "t" };
    const write = () => {
      const [root, ...rows] = outboxBulkStatements(db, events, record);
      return db.batch([root!, ...rows.map((s) => s.onConflictDoNothing())]);
    };
    await write();
    await expect(write()).resolves.toBeDefined();
    expect(await rowsOf(events.map((e) => e.id))).toHaveLength(2);
    const roots = await env.DB.prepare("SELECT count(*) AS n FROM request_records WHERE request_id = ?")
      .bind(requestId)
      .first<{ n: number }>();
    expect(roots?.n).toBe(1);
  });
});
