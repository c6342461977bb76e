import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { OutboxSweeper } from "../../../src/durable-objects/outbox-sweeper";
import { deliveryPolicy } from "../../../src/platform/events/reconciler";
import { RELAY_GRACE_MS } from "../../../src/platform/events/sweeper";
import { aRegistration, insertOutboxRow } from "../../support/events";

const sweeper = () => env.OUTBOX_SWEEPER.get(env.OUTBOX_SWEEPER.idFromName("outbox"));
const alarmAt = () => runInDurableObject(sweeper(), (_o: OutboxSweeper, state) => state.storage.getAlarm());
const outboxRow = (id: string) =>
  env.DB.prepare("SELECT published_at, settled_at FROM outbox WHERE id = ?")
    .bind(id)
    .first<{ published_at: number | null; settled_at: number | null }>();

describe("OutboxSweeper", () => {
  it("arms an alarm after the relay's grace period, so the sweep it runs can see the rows", async () => {
    const before = Date.now();
    await sweeper().arm();
    const at = await alarmAt();
    expect(at).toBeGreaterThan(before + RELAY_GRACE_MS);
  });

  it("keeps an earlier alarm rather than postponing it", async () => {
    const first = await sweeper().arm(5_000);
    expect(await sweeper().arm(60_000)).toBe(first);
    expect(await alarmAt()).toBe(first);
  });

  it("its alarm republishes rows the relay left behind, then re-arms until they are proven delivered", async () => {
    const event = aRegistration();
    await insertOutboxRow(event, Date.now() - RELAY_GRACE_MS - 1_000);
    await sweeper().arm();

    const before = Date.now();
    expect(await runDurableObjectAlarm(sweeper())).toBe(true);

    const row = await outboxRow(event.id);
    expect(row?.published_at).not.toBeNull();
    expect(row?.settled_at).toBeNull();
    // Published, not yet settled: it wakes again when the delivery grace is over for that fact.
    const at = await alarmAt();
    expect(at).not.toBeNull();
    expect(at!).toBeGreaterThanOrEqual(before);
    expect(at!).toBeLessThanOrEqual(row!.published_at! + deliveryPolicy(env).graceMs + 2_000);
  });

  it("does not re-arm when nothing is unpublished or unsettled", async () => {
    await env.DB.prepare("UPDATE outbox SET published_at = coalesce(published_at, 1), settled_at = 1").run();
    await sweeper().arm();
    expect(await runDurableObjectAlarm(sweeper())).toBe(true);
    expect(await alarmAt()).toBeNull();
  });
});
