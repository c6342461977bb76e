import { createExecutionContext, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { OutboxSweeper } from "../../../../src/durable-objects/outbox-sweeper";
import { publishAfterCommit } from "../../../../src/platform/events/publish";
import { createLogger } from "../../../../src/platform/observability/logger";
import { aRegistration, insertOutboxRow } from "../../../support/events";

const row = (id: string) =>
  env.DB.prepare("SELECT published_at, publish_attempts, last_error FROM outbox WHERE id = ?")
    .bind(id)
    .first<{ published_at: number | null; publish_attempts: number; last_error: string | null }>();
const sweeperAlarm = () =>
  runInDurableObject(
    env.OUTBOX_SWEEPER.get(env.OUTBOX_SWEEPER.idFromName("outbox")),
    (_o: OutboxSweeper, s) => s.storage.getAlarm(),
  );
const log = createLogger({ test: "publish" });

describe("publishAfterCommit", () => {
  it("relays committed events off the response path and marks them published", async () => {
    const event = aRegistration();
    await insertOutboxRow(event);
    const ctx = createExecutionContext();
    publishAfterCommit({ env, executionCtx: ctx, log }, [event]);
    await waitOnExecutionContext(ctx);
    expect((await row(event.id))?.published_at).not.toBeNull();
  });

  it("when a queue refuses the send, leaves the row unpublished with the error and arms the sweeper; never throws", async () => {
    const event = aRegistration();
    await insertOutboxRow(event);
    const down = { sendBatch: () => Promise.reject(new Error("queue unavailable")) } as unknown as Queue;
    const ctx = createExecutionContext();

    expect(() =>
      publishAfterCommit({ env: { ...env, EMAIL_QUEUE: down }, executionCtx: ctx, log }, [event]),
    ).not.toThrow();
    await waitOnExecutionContext(ctx);

    expect(await row(event.id)).toMatchObject({
      published_at: null,
      publish_attempts: 1,
      last_error: expect.stringContaining("queue unavailable"),
    });
    expect(await sweeperAlarm()).not.toBeNull();
  });
});
