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
});
