import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { measureAlertRules } from "../../../src/flows/ops/alerting";
import { manualClock } from "../../support/clock";
import { aRegistration, eventually } from "../../support/events";
import { clearFaults, faultNow, injectFault } from "../../support/faults";
import { callWith } from "../../support/http";
import { clearOpsTables, insertDelivery } from "../../support/ops";
import { queueStandIn, withoutQueueMetrics } from "../../support/queues";
import { createTestUser, type TestUser } from "../../support/users";

interface BacklogRow {
  queue: string;
  messages: number;
  bytes: number;
  messageHours: number;
  source: string;
}

const HOUR_MS = 3_600_000;

let admin: TestUser;
beforeEach(async () => {
  await clearOpsTables();
  admin = await createTestUser("admin");
});

/** GET /ops/costs' backlog, at the clock's time and with these bindings in place of the real ones. */
async function costsBacklog(now: number, bindings: Partial<Env> = {}): Promise<BacklogRow[]> {
  const res = await callWith({ clock: manualClock(now).clock, bindings })("/ops/costs", {
    headers: admin.auth,
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { backlog: BacklogRow[] }).backlog;
}

const rule = (measured: Awaited<ReturnType<typeof measureAlertRules>>, name: string) =>
  measured.evaluations.find((e) => e.rule === name);

describe("the backlog read from the queue itself", () => {
  it("counts real messages waiting in front of a paused consumer, which the ledger cannot see yet", async () => {
    // A paused consumer holds the batch it was handed, and the local queue hands it no other until
    // then: what is sent next waits in the queue, deterministically.
    const fault = await injectFault(admin, { kind: "pause", consumer: "user-stats" });
    try {
      await env.USER_STATS_QUEUE.send(aRegistration());
      // Handed to the consumer, which holds it.
      await eventually(async () => ((await env.USER_STATS_QUEUE.metrics()).backlogCount === 0 ? true : null));
      await env.USER_STATS_QUEUE.sendBatch([1, 2, 3].map(() => ({ body: aRegistration() })));

      const own = await env.USER_STATS_QUEUE.metrics();
      expect(own.backlogCount).toBeGreaterThanOrEqual(3);
      const oldestAt = own.oldestMessageTimestamp!.getTime();
      const now = oldestAt + HOUR_MS; // the injected clock: the oldest message has waited an hour

      const measured = await measureAlertRules(env, now);
      expect(measured.backlogs.get("user-stats")).toEqual({
        count: own.backlogCount,
        oldestAt,
        source: "queue",
      });
      expect(rule(measured, "deliveries-unacked")).toMatchObject({ source: "queue" });
      expect(rule(measured, "deliveries-unacked")!.value).toBeGreaterThanOrEqual(own.backlogCount);
      expect(rule(measured, "deliveries-oldest-unacked-age")).toMatchObject({
        value: 3600,
        source: "queue",
        firing: true,
      });
      // The outbox and the dead letters have no queue of their own to ask.
      expect(rule(measured, "outbox-backlog")?.source).toBe("crossdock");
      expect(rule(measured, "dead-letters-count")?.source).toBe("crossdock");

      const backlog = await costsBacklog(now);
      expect(backlog.find((b) => b.queue === "crossdock-user-stats")).toMatchObject({
        messages: own.backlogCount,
        bytes: own.backlogBytes,
        source: "queue",
      });
      expect((await faultNow(admin, fault.id)).state).toBe("active");
    } finally {
      await clearFaults(admin);
    }
    // Released, the consumer takes what waited.
    await eventually(async () => ((await env.USER_STATS_QUEUE.metrics()).backlogCount === 0 ? true : null));
  });

  it("prefers the queue's figures to the ledger's, and reads no oldest message in an empty queue", async () => {
    const now = Date.now();
    await insertDelivery("email", "queued", now - 20 * 60_000);
    await insertDelivery("email", "retrying", now - 10 * 60_000);
    const bindings = {
      EMAIL_QUEUE: queueStandIn(env.EMAIL_QUEUE, async () => ({
        backlogCount: 7,
        backlogBytes: 7000,
        oldestMessageTimestamp: new Date(now - 90_000),
      })),
      // What a hand-made batch carries for "no message": the epoch.
      REPORTS_QUEUE: queueStandIn(env.REPORTS_QUEUE, async () => ({
        backlogCount: 0,
        backlogBytes: 0,
        oldestMessageTimestamp: new Date(0),
      })),
    };
    const measured = await measureAlertRules({ ...env, ...bindings }, now);
    expect(measured.backlogs.get("email")).toEqual({ count: 7, oldestAt: now - 90_000, source: "queue" });
    expect(measured.backlogs.get("reports")).toEqual({ count: 0, oldestAt: null, source: "queue" });
    expect(rule(measured, "deliveries-oldest-unacked-age")).toMatchObject({ value: 90, source: "queue" });

    const email = (await costsBacklog(now, bindings)).find((b) => b.queue === "crossdock-email");
    // Message-hours stay the ledger's: the queue tells only its oldest message's age.
    expect(email).toEqual({
      queue: "crossdock-email",
      messages: 7,
      bytes: 7000,
      messageHours: 0.5,
      source: "queue",
    });
  });
});

describe("the fallback to Crossdock's own figures", () => {
  it("reads the ledger where the binding has no metrics() or its call fails", async () => {
    const now = Date.now();
    await insertDelivery("email", "queued", now - 20 * 60_000);
    await insertDelivery("email", "retrying", now - 10 * 60_000);
    await insertDelivery("email", "dead-lettered", now - 30 * 60_000);

    const none = await measureAlertRules({ ...env, ...withoutQueueMetrics() }, now);
    expect(none.backlogs.get("email")).toEqual({
      count: 2,
      oldestAt: now - 20 * 60_000,
      source: "crossdock",
    });
    expect(rule(none, "deliveries-unacked")).toMatchObject({ value: 2, source: "crossdock" });
    expect(rule(none, "deliveries-oldest-unacked-age")).toMatchObject({ value: 1200, source: "crossdock" });

    // One binding failing: its queue falls back, the others answer for themselves.
    const failing = {
      EMAIL_QUEUE: queueStandIn(env.EMAIL_QUEUE, () => Promise.reject(new Error("metrics unavailable"))),
    };
    const mixed = await measureAlertRules({ ...env, ...failing }, now);
    expect(mixed.backlogs.get("email")?.source).toBe("crossdock");
    expect(mixed.backlogs.get("user-stats")?.source).toBe("queue");
    expect(rule(mixed, "deliveries-unacked")?.source).toBe("mixed");
    expect(rule(mixed, "deliveries-oldest-unacked-age")?.value).toBe(1200);

    // The costs backlog counts every unacknowledged delivery, the dead-lettered one too.
    const backlog = await costsBacklog(now, failing);
    expect(backlog.find((b) => b.queue === "crossdock-email")).toMatchObject({
      messages: 3,
      source: "crossdock",
    });
  });
});
