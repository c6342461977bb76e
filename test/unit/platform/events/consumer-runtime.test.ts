import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { emailConsumer } from "../../../../src/consumers/email/email";
import { manualClock } from "../../../support/clock";
import { aRegistration, attemptsOf } from "../../../support/events";
import { deliver, runConsumerOn } from "../../../support/queues";

/** The real database, except that every batch (every commit) fails, as when D1 is unavailable. */
const d1RefusingCommits = (): D1Database =>
  new Proxy(env.DB, {
    get(target, prop) {
      if (prop === "batch") return () => Promise.reject(new Error("D1_ERROR: simulated outage"));
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });

describe("consumer runtime when D1 fails", () => {
  it("retries a poison message whose dead letter could not be stored, instead of acking it away", async () => {
    const result = await deliver("crossdock-user-stats", [{ body: { garbage: true }, id: "p" }], {
      DB: d1RefusingCommits(),
    });
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages).toEqual([{ msgId: "p", delaySeconds: expect.any(Number) }]);
  });

  it("retries every message whose effect could not be committed, with a backoff delay", async () => {
    const result = await deliver(
      "crossdock-user-stats",
      [
        { body: aRegistration(), id: "a" },
        { body: aRegistration(), id: "b", attempts: 3 },
      ],
      { DB: d1RefusingCommits() },
    );
    expect(result.explicitAcks).toEqual([]);
    const delays = Object.fromEntries(result.retryMessages.map((r) => [r.msgId, r.delaySeconds]));
    expect(delays.a).toBeGreaterThanOrEqual(1);
    expect(delays.b).toBeGreaterThanOrEqual(4);
  });
});

describe("an external consumer's claim on an event", () => {
  it("is renewed while a slow effect runs, so a redelivery waits for it instead of running it twice", async () => {
    const event = aRegistration();
    const time = manualClock(Date.now());
    let runs = 0;
    let began!: () => void;
    const started = new Promise<void>((resolve) => (began = resolve));
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    // The email consumer's claim and lease, with an effect that runs until the test lets it finish.
    const slow = {
      ...emailConsumer,
      async handle() {
        runs++;
        began();
        if (runs === 1) await finished;
      },
    };
    const first = runConsumerOn(slow, [{ body: event, id: "first" }], { clock: time.clock });
    await started;

    // Three lease lengths pass, the runtime renewing the claim every third of one.
    const beat = slow.leaseMs / 3;
    for (let elapsed = 0; elapsed < 3 * slow.leaseMs; elapsed += beat) {
      await time.asleep();
      time.advance(beat);
    }
    await time.asleep(); // the last renewal has landed
    const during = await runConsumerOn(slow, [{ body: event, id: "during" }], { clock: time.clock });
    expect(runs).toBe(1);
    expect(during.explicitAcks).toEqual([]);
    // Deferred until the renewed lease would run out, not taken over.
    expect(during.retryMessages).toEqual([{ msgId: "during", delaySeconds: slow.leaseMs / 1000 }]);

    finish();
    expect((await first).explicitAcks).toEqual(["first"]);
    const after = await runConsumerOn(slow, [{ body: event, id: "after" }], { clock: time.clock });
    expect(after.explicitAcks).toEqual(["after"]);
    expect(runs).toBe(1);
    expect((await attemptsOf(event.id)).map((a) => a.outcome)).toEqual(["acked", "duplicate"]);
  });
});
