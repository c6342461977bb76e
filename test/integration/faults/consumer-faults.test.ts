import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { userStatsConsumer } from "../../../src/consumers/accounts/user-stats";
import { CONSUMERS } from "../../../src/flows";
import { PAUSE_CAP_MS, PAUSE_POLL_MS } from "../../../src/platform/faults/consumer-faults";
import { FAULT_COPY_ATTRIBUTE, isPoisoned } from "../../../src/platform/faults/model";
import { manualClock } from "../../support/clock";
import { aRegistration, attemptsOf, eventually, statsCount } from "../../support/events";
import { clearFaults, faultNow, injectFault } from "../../support/faults";
import { call } from "../../support/http";
import { captureLogs } from "../../support/logs";
import { deliver, runConsumerOn } from "../../support/queues";
import { createTestUser, type TestUser } from "../../support/users";

const QUEUE = "crossdock-user-stats";

/** Each test counts sign-ups on a UTC day of its own, so their statistics never mix. */
let nextDay = 1;
const aSignup = (day: number) => aRegistration({ role: "buyer" }, Date.UTC(2001, 0, day, 12));
const newDay = () => {
  const day = nextDay++;
  return { day, iso: new Date(Date.UTC(2001, 0, day)).toISOString().slice(0, 10) };
};

let admin: TestUser;
beforeEach(async () => {
  admin = await createTestUser("admin");
  await clearFaults(admin);
});

const durationsOf = async (eventId: string) =>
  (
    await env.DB.prepare("SELECT duration_ms AS ms FROM consumer_attempts WHERE event_id = ?")
      .bind(eventId)
      .all<{ ms: number }>()
  ).results.map((r) => r.ms);

describe("failure-rate", () => {
  it("at 1.0 fails every delivery before its handler: retried, recorded as injected, counted, logged", async () => {
    const fault = await injectFault(admin, { kind: "failure-rate", consumer: "user-stats", rate: 1 });
    const { day, iso } = newDay();
    const events = [aSignup(day), aSignup(day), aSignup(day)];
    const logs = captureLogs();
    // One store read for the batch and one report of its counts, never a call per message.
    let storeCalls = 0;
    const counted = {
      idFromName: (name: string) => env.FAULTS.idFromName(name),
      get: (id: DurableObjectId) => {
        storeCalls++;
        return env.FAULTS.get(id);
      },
    } as unknown as Env["FAULTS"];

    const result = await deliver(
      QUEUE,
      events.map((e, i) => ({ body: e, id: `m${i}` })),
      { FAULTS: counted },
    );
    expect(result.retryMessages.map((m) => m.msgId).sort()).toEqual(["m0", "m1", "m2"]);
    expect(result.explicitAcks).toEqual([]);
    expect(storeCalls).toBe(2);
    expect(await statsCount(iso, "buyer")).toBe(0);
    for (const e of events) {
      expect(await attemptsOf(e.id)).toEqual([
        { attempt: 1, outcome: "injected", error: expect.stringMatching(/^injected: failure-rate fault/) },
      ]);
    }
    expect((await faultNow(admin, fault.id)).injected).toBe(3);
    const lines = logs.map((l) => JSON.parse(l)).filter((l) => l.msg === "fault.injected");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({
      level: "warn",
      faultId: fault.id,
      kind: "failure-rate",
      consumer: "user-stats",
      eventId: events[0]!.id,
      injected: true,
    });
  });

  it("fails a delivery with probability `rate` (the draw is injected), and the next attempt may pass", async () => {
    const fault = await injectFault(admin, { kind: "failure-rate", consumer: "user-stats", rate: 0.5 });
    const { day, iso } = newDay();
    const event = aSignup(day);
    const unlucky = await runConsumerOn(userStatsConsumer, [{ body: event, id: "m" }], {
      random: () => 0.49,
    });
    expect(unlucky.retryMessages.map((m) => m.msgId)).toEqual(["m"]);
    const lucky = await runConsumerOn(userStatsConsumer, [{ body: event, id: "m", attempts: 2 }], {
      random: () => 0.5,
    });
    expect(lucky.explicitAcks).toEqual(["m"]);
    expect(await statsCount(iso, "buyer")).toBe(1);
    expect((await attemptsOf(event.id)).map((a) => a.outcome)).toEqual(["injected", "acked"]);
    expect((await faultNow(admin, fault.id)).injected).toBe(1);
  });
});

describe("latency", () => {
  it("waits before each handler: the attempt's own duration covers it, and it is counted", async () => {
    const fault = await injectFault(admin, { kind: "latency", consumer: "user-stats", latencyMs: 50 });
    const { day, iso } = newDay();
    const event = aSignup(day);
    const result = await deliver(QUEUE, [{ body: event, id: "slow" }]);
    expect(result.explicitAcks).toEqual(["slow"]);
    expect(await statsCount(iso, "buyer")).toBe(1);
    expect(await durationsOf(event.id)).toEqual([expect.any(Number)]);
    expect((await durationsOf(event.id))[0]).toBeGreaterThanOrEqual(50);
    expect((await faultNow(admin, fault.id)).injected).toBe(1);
  });
});

describe("pause", () => {
  it("holds the batch un-acked, running no handler, until the pause is cleared; then processes it", async () => {
    const fault = await injectFault(admin, { kind: "pause", consumer: "user-stats" });
    const { day, iso } = newDay();
    const event = aSignup(day);
    const time = manualClock();
    const run = runConsumerOn(userStatsConsumer, [{ body: event, id: "held" }], { clock: time.clock });

    await time.asleep();
    time.advance(PAUSE_POLL_MS); // it looks again, and the pause is still on
    await time.asleep();
    expect(await statsCount(iso, "buyer")).toBe(0);
    expect(await attemptsOf(event.id)).toEqual([]);

    await clearFaults(admin, fault.id);
    time.advance(PAUSE_POLL_MS);
    const result = await run;
    expect(result.explicitAcks).toEqual(["held"]);
    expect(await statsCount(iso, "buyer")).toBe(1);
    expect(await attemptsOf(event.id)).toEqual([{ attempt: 1, outcome: "acked", error: null }]);
    expect((await faultNow(admin, fault.id)).injected).toBe(1);
  });

  it("retries the batch when the hold reaches its cap (an attempt, recorded as injected)", async () => {
    const fault = await injectFault(admin, { kind: "pause", consumer: "user-stats" });
    const { day, iso } = newDay();
    const events = [aSignup(day), aSignup(day)];
    const time = manualClock();
    const run = runConsumerOn(
      userStatsConsumer,
      events.map((e, i) => ({ body: e, id: `m${i}` })),
      { clock: time.clock },
    );
    await time.asleep();
    time.advance(PAUSE_CAP_MS);
    const result = await run;
    expect(result.retryMessages.map((m) => m.msgId).sort()).toEqual(["m0", "m1"]);
    expect(await statsCount(iso, "buyer")).toBe(0);
    for (const e of events) {
      expect(await attemptsOf(e.id)).toEqual([
        {
          attempt: 1,
          outcome: "injected",
          error: expect.stringMatching(/^injected: pause held the batch for 600 s/),
        },
      ]);
    }
    expect((await faultNow(admin, fault.id)).injected).toBe(2);
  });
});

describe("poison", () => {
  it("fails the messages its hash picks on every attempt, into the dead letters; the others go through", async () => {
    const fault = await injectFault(admin, { kind: "poison", consumer: "user-stats", rate: 0.5 });
    const { day, iso } = newDay();
    const candidates = Array.from({ length: 40 }, () => aSignup(day));
    const picked = candidates.filter((e) => isPoisoned(e.id, 0.5)).slice(0, 2);
    const spared = candidates.filter((e) => !isPoisoned(e.id, 0.5)).slice(0, 2);
    expect([picked.length, spared.length]).toEqual([2, 2]);

    const first = await deliver(
      QUEUE,
      [...picked, ...spared].map((e) => ({ body: e, id: e.id })),
    );
    expect(first.explicitAcks.sort()).toEqual(spared.map((e) => e.id).sort());
    expect(first.retryMessages.map((m) => m.msgId).sort()).toEqual(picked.map((e) => e.id).sort());
    expect(await statsCount(iso, "buyer")).toBe(2);

    // Every retry fails again, until Queues gives up and moves them to the DLQ.
    const lastAttempt = CONSUMERS["user-stats"].delivery.maxRetries + 1;
    for (let attempt = 2; attempt <= lastAttempt; attempt++) {
      const again = await deliver(
        QUEUE,
        picked.map((e) => ({ body: e, id: e.id, attempts: attempt })),
      );
      expect(again.retryMessages).toHaveLength(2);
    }
    const stored = await deliver(
      "crossdock-user-stats-dlq",
      picked.map((e) => ({ body: e, id: e.id })),
    );
    expect(stored.explicitAcks).toHaveLength(2);

    const res = await call("/ops/dead-letters?consumer=user-stats", { headers: admin.auth });
    const { items } = await res.json<{ items: { eventId: string; lastError: string; attempts: number }[] }>();
    for (const e of picked) {
      expect(items.find((i) => i.eventId === e.id)).toMatchObject({
        lastError: expect.stringMatching(/^injected: poison fault picked this message/),
        attempts: lastAttempt,
      });
    }
    expect(items.filter((i) => spared.some((e) => e.id === i.eventId))).toEqual([]);
    expect(await statsCount(iso, "buyer")).toBe(2);
    expect((await faultNow(admin, fault.id)).injected).toBe(2 * lastAttempt);
  });
});

describe("duplicate", () => {
  it("sends each acked message again through its queue; the consumer's dedup answers it duplicate", async () => {
    const fault = await injectFault(admin, { kind: "duplicate", consumer: "user-stats" });
    const { day, iso } = newDay();
    const event = aSignup(day);
    const result = await deliver(QUEUE, [{ body: event, id: "original" }]);
    expect(result.explicitAcks).toEqual(["original"]);

    // The copy travels through the real local queue to the worker's own consumer.
    const outcomes = await eventually(async () => {
      const attempts = (await attemptsOf(event.id)).map((a) => a.outcome);
      return attempts.length >= 2 ? attempts : null;
    });
    expect(outcomes).toEqual(["acked", "duplicate"]);
    expect(await statsCount(iso, "buyer")).toBe(1);
    expect((await faultNow(admin, fault.id)).injected).toBe(1);
  });

  it("marks the copy with an extension attribute and never copies a copy", async () => {
    const fault = await injectFault(admin, { kind: "duplicate", consumer: "user-stats" });
    const { day, iso } = newDay();
    const original = aSignup(day);
    const copy = { ...aSignup(day), [FAULT_COPY_ATTRIBUTE]: "flt_earlier" };
    const sent: unknown[] = [];
    const queue = {
      sendBatch: async (messages: { body: unknown }[]) => {
        sent.push(...messages.map((m) => m.body));
      },
    } as unknown as Queue;

    const result = await deliver(
      QUEUE,
      [
        { body: copy, id: "copy" },
        { body: original, id: "original" },
      ],
      { USER_STATS_QUEUE: queue },
    );
    // A copy is read like any event (this one was never processed, so it counts)…
    expect(result.explicitAcks.sort()).toEqual(["copy", "original"]);
    expect(await statsCount(iso, "buyer")).toBe(2);
    // …but only the original is sent again, marked with the fault's id.
    expect(sent).toEqual([{ ...original, [FAULT_COPY_ATTRIBUTE]: fault.id }]);
    expect((await faultNow(admin, fault.id)).injected).toBe(1);
  });
});

describe("with fault injection off (FAULTS_ENABLED not true)", () => {
  it("a stored fault has no effect and the store is never called", async () => {
    const fault = await injectFault(admin, { kind: "failure-rate", consumer: "user-stats", rate: 1 });
    const { day, iso } = newDay();
    const event = aSignup(day);
    const untouchable = new Proxy(
      {},
      {
        get() {
          throw new Error("the fault store was called with fault injection off");
        },
      },
    ) as Env["FAULTS"];
    const logs = captureLogs();
    const result = await deliver(QUEUE, [{ body: event, id: "m" }], {
      FAULTS_ENABLED: "false",
      FAULTS: untouchable,
    });
    expect(result.explicitAcks).toEqual(["m"]);
    expect(await statsCount(iso, "buyer")).toBe(1);
    expect(logs.map((l) => JSON.parse(l).msg).filter((msg) => String(msg).startsWith("fault"))).toEqual([]);
    expect((await faultNow(admin, fault.id)).injected).toBe(0);
  });
});
