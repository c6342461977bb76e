import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { deliveryPolicy, reconcileDeliveries } from "../../../../src/platform/events/reconciler";
import { pruneOutbox } from "../../../../src/platform/events/sweeper";
import { createLogger } from "../../../../src/platform/observability/logger";
import { aRegistration, eventually, insertOutboxRow, mailboxRows } from "../../../support/events";
import { clearFaults, injectFault } from "../../../support/faults";
import { clearOpsTables } from "../../../support/ops";
import { deliver } from "../../../support/queues";
import { createTestUser } from "../../../support/users";

const log = createLogger({ test: "reconciler" });
const GRACE = deliveryPolicy(env).graceMs;

/** A fact as the relay leaves it: in the outbox, published at `publishedAt`. */
async function published(publishedAt: number) {
  const event = aRegistration();
  await insertOutboxRow(event, publishedAt - 10);
  await env.DB.prepare("UPDATE outbox SET published_at = ? WHERE id = ?").bind(publishedAt, event.id).run();
  return event;
}

/** A queue binding that records what it is sent instead of delivering it. */
function recordingQueue() {
  const sent: { id: string }[] = [];
  return {
    sent,
    queue: {
      send: async () => undefined,
      sendBatch: async (messages: Iterable<MessageSendRequest<unknown>>) => {
        for (const m of messages) sent.push(m.body as { id: string });
      },
    } as unknown as Queue,
  };
}

const row = (sql: string, ...binds: unknown[]) =>
  env.DB.prepare(sql)
    .bind(...binds)
    .first<Record<string, unknown>>();

const ack = (consumer: string, eventId: string, at = Date.now()) =>
  env.DB.prepare("INSERT INTO processed_events (consumer, event_id, processed_at) VALUES (?, ?, ?)")
    .bind(consumer, eventId, at)
    .run();

describe("delivery reconciler", () => {
  it("re-sends a fact after the grace period only to the subscriber that has not acknowledged it", async () => {
    const now = Date.now();
    const event = await published(now - GRACE - 1_000);
    await ack("user-stats", event.id);
    const email = recordingQueue();
    const stats = recordingQueue();
    const result = await reconcileDeliveries(
      { ...env, EMAIL_QUEUE: email.queue, USER_STATS_QUEUE: stats.queue },
      now,
      log,
    );
    expect(result).toMatchObject({ checked: 1, resent: 1, settled: 0, outstanding: 1 });
    expect(email.sent.map((e) => e.id)).toEqual([event.id]);
    expect(stats.sent).toEqual([]);
    expect(await row("SELECT consumer, state, resends FROM deliveries WHERE event_id = ?", event.id)).toEqual(
      {
        consumer: "email",
        state: "queued",
        resends: 1,
      },
    );
    expect(await row("SELECT settled_at FROM outbox WHERE id = ?", event.id)).toEqual({ settled_at: null });
  });

  it("leaves a fact alone inside the grace period and says when it comes due", async () => {
    const now = Date.now();
    const event = await published(now - 1_000);
    const email = recordingQueue();
    const result = await reconcileDeliveries({ ...env, EMAIL_QUEUE: email.queue }, now, log);
    expect(email.sent.find((e) => e.id === event.id)).toBeUndefined();
    expect(result.nextDueAt).not.toBeNull();
    expect(result.nextDueAt!).toBeLessThanOrEqual(now - 1_000 + GRACE);
  });

  it("waits longer after each re-send, and settles the fact once every subscriber acknowledged", async () => {
    const now = Date.now();
    const event = await published(now - GRACE - 1_000);
    const email = recordingQueue();
    const stats = recordingQueue();
    const patched = { ...env, EMAIL_QUEUE: email.queue, USER_STATS_QUEUE: stats.queue };
    await reconcileDeliveries(patched, now, log);
    // Within twice the grace of the re-send: not again.
    await reconcileDeliveries(patched, now + 2 * GRACE - 1, log);
    expect(email.sent.filter((e) => e.id === event.id)).toHaveLength(1);
    await reconcileDeliveries(patched, now + 2 * GRACE, log);
    expect(email.sent.filter((e) => e.id === event.id)).toHaveLength(2);

    await ack("email", event.id);
    await ack("user-stats", event.id);
    const result = await reconcileDeliveries(patched, now + 3 * GRACE, log);
    expect(result.settled).toBeGreaterThanOrEqual(1);
    expect((await row("SELECT settled_at FROM outbox WHERE id = ?", event.id))?.settled_at).toBe(
      now + 3 * GRACE,
    );
    expect(await row("SELECT id FROM deliveries WHERE event_id = ?", event.id)).toBeNull();
  });

  it("does not re-send a dead-lettered delivery, and a discarded one settles the fact", async () => {
    const now = Date.now();
    const event = await published(now - GRACE - 1_000);
    await ack("user-stats", event.id);
    await deliver("crossdock-email-dlq", [{ body: event }]);
    const email = recordingQueue();
    const patched = { ...env, EMAIL_QUEUE: email.queue };
    await reconcileDeliveries(patched, now, log);
    expect(email.sent).toEqual([]);
    expect(await row("SELECT state FROM deliveries WHERE event_id = ?", event.id)).toEqual({
      state: "dead-lettered",
    });

    await env.DB.prepare("UPDATE dead_letters SET status = 'discarded' WHERE event_id = ?")
      .bind(event.id)
      .run();
    await reconcileDeliveries(patched, now + 1, log);
    expect((await row("SELECT settled_at FROM outbox WHERE id = ?", event.id))?.settled_at).toBe(now + 1);
    expect(await row("SELECT id FROM deliveries WHERE event_id = ?", event.id)).toBeNull();
  });

  it("dead-letters a delivery itself once its re-sends are used up", async () => {
    const now = Date.now();
    const event = await published(now - GRACE - 1_000);
    await ack("user-stats", event.id);
    const email = recordingQueue();
    const patched = { ...env, EMAIL_QUEUE: email.queue };
    const policy = { ...deliveryPolicy(env), maxResends: 1 };
    await reconcileDeliveries(patched, now, log, policy);
    const result = await reconcileDeliveries(patched, now + 2 * GRACE, log, policy);
    expect(result.deadLettered).toBe(1);
    expect(email.sent.filter((e) => e.id === event.id)).toHaveLength(1);
    const dl = await row(
      "SELECT status, consumer, last_error FROM dead_letters WHERE event_id = ?",
      event.id,
    );
    expect(dl).toMatchObject({ status: "dead", consumer: "email" });
    expect(String(dl?.last_error)).toMatch(/after 1 re-sends/);
  });

  it("a real re-send of a fact already handled is a duplicate: one email, and the ack is recorded", async () => {
    const event = await published(Date.now() - 60_000);
    await deliver("crossdock-email", [{ body: event }]);
    expect(await mailboxRows({ eventId: event.id })).toHaveLength(1);
    // The external consumer's ack rides in its bookkeeping batch.
    expect(
      await row("SELECT consumer FROM processed_events WHERE consumer = 'email' AND event_id = ?", event.id),
    ).toEqual({ consumer: "email" });
    // Lose that ack (as if its batch had failed), then let the reconciler re-send through the real queue.
    await env.DB.prepare("DELETE FROM processed_events WHERE consumer = 'email' AND event_id = ?")
      .bind(event.id)
      .run();
    await ack("user-stats", event.id);
    // Its last sign of life is the attempt just made: the grace runs from there.
    const result = await reconcileDeliveries(env, Date.now() + GRACE + 1, log);
    expect(result.resent).toBeGreaterThanOrEqual(1);
    await eventually(() =>
      row("SELECT consumer FROM processed_events WHERE consumer = 'email' AND event_id = ?", event.id),
    );
    expect(await mailboxRows({ eventId: event.id })).toHaveLength(1);
    const outcomes = await env.DB.prepare(
      "SELECT outcome FROM consumer_attempts WHERE consumer = 'email' AND event_id = ? ORDER BY id",
    )
      .bind(event.id)
      .all<{ outcome: string }>();
    expect(outcomes.results.map((r) => r.outcome)).toEqual(["acked", "duplicate"]);
  });

  it("does not re-send to a queue that is behind (it still holds older messages), and re-sends to one that is not", async () => {
    const admin = await createTestUser("admin");
    // A paused consumer holds the batch it was handed and the local queue hands it no other, so what is
    // sent next waits in user-stats' real queue, whose own figures say since when.
    await injectFault(admin, { kind: "pause", consumer: "user-stats" });
    try {
      await env.USER_STATS_QUEUE.send(aRegistration());
      await eventually(async () => ((await env.USER_STATS_QUEUE.metrics()).backlogCount === 0 ? true : null));
      await env.USER_STATS_QUEUE.send(aRegistration());
      const oldestAt = (await env.USER_STATS_QUEUE.metrics()).oldestMessageTimestamp!.getTime();
      await clearOpsTables(); // only this test's facts in the outbox

      // Published after the oldest waiting message: queued behind it, not lost. Email's stand-in gives
      // no figures, so its delivery is re-sent as before.
      const queued = await published(oldestAt + 1);
      const email = recordingQueue();
      const at = oldestAt + 1 + GRACE + 1;
      const first = await reconcileDeliveries({ ...env, EMAIL_QUEUE: email.queue }, at, log);
      expect(first).toMatchObject({ checked: 1, resent: 1, behind: 1, outstanding: 2 });
      expect(email.sent.map((e) => e.id)).toEqual([queued.id]);
      expect(
        await row(
          "SELECT state, resends FROM deliveries WHERE consumer = 'user-stats' AND event_id = ?",
          queued.id,
        ),
      ).toEqual({ state: "queued", resends: 0 });
      // It comes due again a grace later, not when its doubled quiet period would end.
      expect(first.nextDueAt).toBeLessThanOrEqual(at + GRACE);

      // Published before the oldest waiting message: the queue has handed it out, so it was lost.
      await env.DB.prepare("DELETE FROM outbox WHERE id = ?").bind(queued.id).run();
      const lost = await published(oldestAt - 1);
      await ack("email", lost.id);
      const second = await reconcileDeliveries(
        { ...env, EMAIL_QUEUE: email.queue },
        oldestAt - 1 + GRACE + 1,
        log,
      );
      expect(second).toMatchObject({ checked: 1, resent: 1, behind: 0 });
      expect(
        await row("SELECT resends FROM deliveries WHERE consumer = 'user-stats' AND event_id = ?", lost.id),
      ).toEqual({ resends: 1 });
    } finally {
      await clearFaults(admin);
    }
  });

  it("re-sends a lost copy after the grace where the queue stands empty, and waits the doubled period where it does not", async () => {
    await clearOpsTables();
    // Stand-ins whose copies are lost, as with a runtime killed after the send: email's queue says it
    // holds nothing; user-stats' says it holds a newer message, which might be the copy.
    const withFigures = (figures: QueueMetrics) => {
      const recording = recordingQueue();
      return {
        ...recording,
        queue: { ...recording.queue, metrics: async () => figures } as unknown as Queue,
      };
    };
    const now = Date.now();
    const email = withFigures({ backlogCount: 0, backlogBytes: 0 });
    const stats = withFigures({
      backlogCount: 1,
      backlogBytes: 900,
      oldestMessageTimestamp: new Date(now + 1),
    });
    const patched = { ...env, EMAIL_QUEUE: email.queue, USER_STATS_QUEUE: stats.queue };
    const event = await published(now - GRACE - 1_000);

    const first = await reconcileDeliveries(patched, now, log);
    expect(first).toMatchObject({ resent: 2 });
    // Looked at again a grace later, where a lost copy can be told from a slow one.
    expect(first.nextDueAt).toBe(now + GRACE);

    const second = await reconcileDeliveries(patched, now + GRACE, log);
    expect(second).toMatchObject({ resent: 1 });
    expect(email.sent.filter((e) => e.id === event.id)).toHaveLength(2);
    expect(stats.sent.filter((e) => e.id === event.id)).toHaveLength(1);
    expect(
      await row("SELECT resends FROM deliveries WHERE consumer = 'user-stats' AND event_id = ?", event.id),
    ).toEqual({ resends: 1 });
    await reconcileDeliveries(patched, now + 2 * GRACE, log);
    expect(stats.sent.filter((e) => e.id === event.id)).toHaveLength(2);
  });

  it("asks a queue for its figures only when it has a delivery to decide on, once per pass", async () => {
    await clearOpsTables();
    const asked = { email: 0, "user-stats": 0 };
    const counting = (name: keyof typeof asked) =>
      ({
        ...recordingQueue().queue,
        metrics: async () => {
          asked[name]++;
          return { backlogCount: 0, backlogBytes: 0 };
        },
      }) as unknown as Queue;
    const patched = { ...env, EMAIL_QUEUE: counting("email"), USER_STATS_QUEUE: counting("user-stats") };
    const now = Date.now();
    const done = await published(now - GRACE - 1_000);
    await ack("email", done.id);
    await ack("user-stats", done.id);
    await reconcileDeliveries(patched, now, log);
    expect(asked).toEqual({ email: 0, "user-stats": 0 });

    for (const fact of [await published(now - GRACE - 900), await published(now - GRACE - 800)])
      await ack("user-stats", fact.id);
    const result = await reconcileDeliveries(patched, now, log);
    expect(result).toMatchObject({ resent: 2, behind: 0 });
    expect(asked).toEqual({ email: 1, "user-stats": 0 });
  });

  it("pruning keeps an old fact that is not settled", async () => {
    const old = Date.now() - 100 * 3_600_000;
    const unsettled = await published(old);
    const settled = await published(old);
    await env.DB.prepare("UPDATE outbox SET settled_at = ? WHERE id = ?").bind(old, settled.id).run();
    await pruneOutbox(env, Date.now());
    expect(await row("SELECT id FROM outbox WHERE id = ?", unsettled.id)).toEqual({ id: unsettled.id });
    expect(await row("SELECT id FROM outbox WHERE id = ?", settled.id)).toBeNull();
  });
});
