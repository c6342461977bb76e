import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAINTENANCE_STEPS } from "../../../../src/maintenance";
import { pruneConsumerHistory, runMaintenance } from "../../../../src/platform/events/maintenance";
import { pruneOutbox } from "../../../../src/platform/events/sweeper";
import { aRegistration, insertOutboxRow } from "../../../support/events";

const HOUR = 3_600_000;

describe("scheduled maintenance", () => {
  it("runs every step even when one fails, and reports each", async () => {
    const ran: string[] = [];
    const outcomes = await runMaintenance(env, Date.now(), [
      { name: "first", run: async () => ran.push("first") },
      {
        name: "broken",
        run: async () => {
          throw new Error("boom");
        },
      },
      { name: "last", run: async () => ran.push("last") },
    ]);
    expect(outcomes).toEqual({ first: "ok", broken: "failed", last: "ok" });
    expect(ran).toEqual(["first", "last"]);
  });

  it("runs the worker's steps (src/maintenance.ts) against the real bindings", async () => {
    expect(await runMaintenance(env, Date.now(), MAINTENANCE_STEPS)).toEqual({
      "sweep-outbox": "ok",
      "reconcile-deliveries": "ok",
      "prune-outbox": "ok",
      "prune-consumer-history": "ok",
      "prune-analytics-event-ids": "ok",
      "resume-stuck-orders": "ok",
      "evaluate-alerts": "ok",
    });
  });

  it("prunes settled outbox rows past OUTBOX_RETENTION_HOURS, never unpublished or unsettled ones", async () => {
    const now = Date.now();
    const [old, recent, unsent, unsettled] = [
      aRegistration(),
      aRegistration(),
      aRegistration(),
      aRegistration(),
    ];
    for (const e of [old, recent, unsent, unsettled]) await insertOutboxRow(e, now - 100 * HOUR);
    const set = (id: string, publishedAt: number, settledAt: number | null) =>
      env.DB.prepare("UPDATE outbox SET published_at = ?, settled_at = ? WHERE id = ?").bind(
        publishedAt,
        settledAt,
        id,
      );
    await env.DB.batch([
      set(old.id, now - 73 * HOUR, now - 73 * HOUR),
      set(recent.id, now - 71 * HOUR, now - 71 * HOUR),
      set(unsettled.id, now - 73 * HOUR, null),
    ]);

    await pruneOutbox({ ...env, OUTBOX_RETENTION_HOURS: "72" }, now);

    const left = await env.DB.prepare("SELECT id FROM outbox WHERE id IN (?, ?, ?, ?)")
      .bind(old.id, recent.id, unsent.id, unsettled.id)
      .all<{ id: string }>();
    expect(left.results.map((r) => r.id).sort()).toEqual([recent.id, unsent.id, unsettled.id].sort());
    await env.DB.prepare("DELETE FROM outbox WHERE id IN (?, ?)").bind(unsent.id, unsettled.id).run();
  });

  it("prunes dedup rows and attempt history past DEDUP_RETENTION_HOURS", async () => {
    const now = Date.now();
    const insertAt = (eventId: string, at: number) => [
      env.DB.prepare(
        "INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ('user-stats', ?, ?)",
      ).bind(eventId, at),
      env.DB.prepare(
        `INSERT INTO consumer_attempts (event_id, event_type, consumer, attempt, outcome, correlation_id, started_at, duration_ms, lag_ms)
         VALUES (?, 'user.registered', 'user-stats', 1, 'acked', 'c', ?, 1, 1)`,
      ).bind(eventId, at),
    ];
    await env.DB.batch([...insertAt("evt_old", now - 25 * HOUR), ...insertAt("evt_new", now - 23 * HOUR)]);

    await pruneConsumerHistory({ ...env, DEDUP_RETENTION_HOURS: "24" }, now);

    for (const table of ["processed_events", "consumer_attempts"]) {
      const ids = await env.DB.prepare(
        `SELECT event_id FROM ${table} WHERE event_id IN ('evt_old', 'evt_new')`,
      ).all<{
        event_id: string;
      }>();
      expect(
        ids.results.map((r) => r.event_id),
        table,
      ).toEqual(["evt_new"]);
    }
  });
});
