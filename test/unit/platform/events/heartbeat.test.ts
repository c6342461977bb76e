import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { startHeartbeat } from "../../../../src/platform/events/heartbeat";
import { deliveryPolicy, reconcileDeliveries } from "../../../../src/platform/events/reconciler";
import { createLogger } from "../../../../src/platform/observability/logger";
import { aRegistration, insertOutboxRow } from "../../../support/events";

const log = createLogger({ test: "heartbeat" });
const heartbeatOf = (id: string) =>
  env.DB.prepare("SELECT state, heartbeat_at FROM deliveries WHERE id = ?")
    .bind(id)
    .first<{ state: string; heartbeat_at: number }>();

describe("consumer heartbeat", () => {
  it("says nothing for a batch done before its first beat, then marks its deliveries in progress", async () => {
    const quick = aRegistration();
    startHeartbeat(env, "email", () => [quick], log)(); // stopped at once, as a fast batch would
    const slow = aRegistration();
    const stop = startHeartbeat(env, "email", () => [slow], log, 20);
    try {
      const row = await vi.waitUntil(() => heartbeatOf(`email/${slow.id}`), { timeout: 5_000 });
      expect(row.state).toBe("in-progress");
    } finally {
      stop();
    }
    expect(await heartbeatOf(`email/${quick.id}`)).toBeNull();
  });

  it("keeps the reconciler from re-sending what a handler is still working on", async () => {
    const now = Date.now();
    const policy = deliveryPolicy(env);
    const event = aRegistration();
    await insertOutboxRow(event, now - 3 * policy.graceMs);
    await env.DB.prepare("UPDATE outbox SET published_at = ? WHERE id = ?")
      .bind(now - 3 * policy.graceMs, event.id)
      .run();
    await env.DB.prepare(
      "INSERT INTO deliveries (id, consumer, event_id, event_type, correlation_id, published_at, state, heartbeat_at, checked_at) VALUES (?, 'email', ?, 'user.registered', 'c', ?, 'in-progress', ?, ?)",
    )
      .bind(`email/${event.id}`, event.id, now - 3 * policy.graceMs, now - 1_000, now - 1_000)
      .run();
    const sent: string[] = [];
    const recording = {
      sendBatch: async (ms: Iterable<MessageSendRequest<{ id: string }>>) => {
        for (const m of ms) sent.push(m.body.id);
      },
    } as unknown as Queue;
    await reconcileDeliveries({ ...env, EMAIL_QUEUE: recording, USER_STATS_QUEUE: recording }, now, log);
    expect(sent.filter((id) => id === event.id)).toEqual([event.id]); // user-stats only: no heartbeat there
    expect(await heartbeatOf(`email/${event.id}`)).toMatchObject({ state: "in-progress" });
  });
});
