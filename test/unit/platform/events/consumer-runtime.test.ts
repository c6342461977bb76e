import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { aRegistration } from "../../../support/events";
import { deliver } from "../../../support/queues";

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
