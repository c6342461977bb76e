import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { OutboxSweeper } from "../../../../src/durable-objects/outbox-sweeper";
import { publishNow } from "../../../../src/platform/events/publish";
import { RELAY_GRACE_MS } from "../../../../src/platform/events/sweeper";
import { createLogger } from "../../../../src/platform/observability/logger";
import { aRegistration, insertOutboxRow } from "../../../support/events";

// A file of its own: the isolate remembers an armed sweeper, and this must be the first commit it sees.
const sweeperAlarm = () =>
  runInDurableObject(
    env.OUTBOX_SWEEPER.get(env.OUTBOX_SWEEPER.idFromName("outbox")),
    (_o: OutboxSweeper, s) => s.storage.getAlarm(),
  );

describe("publishing a commit", () => {
  it("arms the sweeper before the relay sends, so a process that dies mid-relay leaves a wake-up", async () => {
    const event = aRegistration();
    await insertOutboxRow(event);
    let release = () => {};
    const hanging = {
      sendBatch: () => new Promise<void>((resolve) => (release = resolve)),
    } as unknown as Queue;
    const before = Date.now();
    const publishing = publishNow({ ...env, EMAIL_QUEUE: hanging }, [event], createLogger({ test: "arm" }));

    // The relay is stuck in its send (as if the process were about to die): the alarm is already set.
    const at = await vi.waitUntil(sweeperAlarm, { timeout: 5_000 });
    expect(at).toBeGreaterThanOrEqual(before + RELAY_GRACE_MS);
    release();
    await publishing;
  });
});
