import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sweepOutbox } from "../../../../src/platform/events/sweeper";
import { aRegistration, eventually, insertOutboxRow } from "../../../support/events";

describe("outbox sweeper", () => {
  it("republishes a backlog larger than D1's 100 bound parameters in one sweep, and marks every row", async () => {
    const now = Date.now();
    const stale = Array.from({ length: 150 }, () => aRegistration());
    for (const e of stale) await insertOutboxRow(e, now - 60_000);
    const { republished } = await sweepOutbox(env, now);
    expect(republished).toBeGreaterThanOrEqual(150);
    const ids = JSON.stringify(stale.map((e) => e.id));
    const left = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM outbox WHERE published_at IS NULL AND id IN (SELECT value FROM json_each(?))",
    )
      .bind(ids)
      .first<{ n: number }>();
    expect(left?.n).toBe(0);
    // Let both subscribed consumers finish with the backlog before the test's runtime is torn down.
    await eventually(async () => {
      const row = await env.DB.prepare(
        "SELECT COUNT(*) AS n FROM consumer_attempts WHERE outcome = 'acked' AND event_id IN (SELECT value FROM json_each(?))",
      )
        .bind(ids)
        .first<{ n: number }>();
      return (row?.n ?? 0) >= stale.length * 2 ? true : null;
    }, 60_000);
  }, 90_000);
});
