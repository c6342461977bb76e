import { describe, expect, it } from "vitest";
import { aRegistration } from "../../support/events";
import { deliver } from "../../support/queues";

describe("handleQueue", () => {
  it("retries a batch from a queue no consumer owns, never acking it", async () => {
    const result = await deliver("crossdock-mystery", [{ body: aRegistration(), id: "x" }]);
    expect(result.retryBatch.retry).toBe(true);
    expect(result.explicitAcks).toEqual([]);
    expect(result.ackAll).toBe(false);
  });

  it("routes a deployed environment's queue (QUEUE_PREFIX) to the consumer declared under the local name", async () => {
    const prod = { QUEUE_PREFIX: "crossdock-prod-" };
    const result = await deliver("crossdock-prod-user-stats", [{ body: aRegistration(), id: "p" }], prod);
    expect(result.retryBatch.retry).toBe(false);
    expect(result.explicitAcks).toEqual(["p"]);
    // Without the environment's prefix the same name is nobody's queue.
    const unmapped = await deliver("crossdock-prod-user-stats", [{ body: aRegistration(), id: "u" }]);
    expect(unmapped.retryBatch.retry).toBe(true);
  });
});
