import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { armOutboxSweeper, type OutboxSweeper } from "../../../src/durable-objects/outbox-sweeper";
import { RELAY_GRACE_MS } from "../../../src/platform/events/sweeper";
import { aRegistration, insertOutboxRow } from "../../support/events";

const sweeper = () => env.OUTBOX_SWEEPER.get(env.OUTBOX_SWEEPER.idFromName("outbox"));
const alarmAt = () => runInDurableObject(sweeper(), (_o: OutboxSweeper, state) => state.storage.getAlarm());
const publishedAt = async (id: string) =>
  (
    await env.DB.prepare("SELECT published_at FROM outbox WHERE id = ?")
      .bind(id)
      .first<{ published_at: number | null }>()
  )?.published_at;

describe("OutboxSweeper", () => {
  it("arms an alarm after the relay's grace period, so the sweep it runs can see the rows", async () => {
    const before = Date.now();
    await armOutboxSweeper(env);
    const at = await alarmAt();
    expect(at).toBeGreaterThan(before + RELAY_GRACE_MS);
  });

  it("its alarm republishes outbox rows the relay left behind", async () => {
    const event = aRegistration();
    await insertOutboxRow(event, Date.now() - RELAY_GRACE_MS - 1_000);
    await armOutboxSweeper(env);

    expect(await runDurableObjectAlarm(sweeper())).toBe(true);

    expect(await publishedAt(event.id)).not.toBeNull();
    // Nothing left to send: it does not re-arm.
    expect(await alarmAt()).toBeNull();
  });
});
