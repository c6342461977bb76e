import { describe, expect, it } from "vitest";
import { declaredQueueName, withDeclaredQueue } from "../../../../src/platform/events/queue-names";

describe("declaredQueueName", () => {
  it("maps an environment's queue back to its declared name", () => {
    expect(declaredQueueName("crossdock-prod-email-dlq", "crossdock-prod-")).toBe("crossdock-email-dlq");
    expect(declaredQueueName("crossdock-staging-order-saga", "crossdock-staging-")).toBe(
      "crossdock-order-saga",
    );
  });

  it("leaves local names, and names without the prefix, as they are", () => {
    expect(declaredQueueName("crossdock-email", "crossdock-")).toBe("crossdock-email");
    expect(declaredQueueName("crossdock-email", undefined)).toBe("crossdock-email");
    expect(declaredQueueName("other-email", "crossdock-prod-")).toBe("other-email");
  });
});

describe("withDeclaredQueue", () => {
  it("renames the batch and forwards ack and retry to the original", () => {
    const calls: string[] = [];
    const batch = {
      queue: "crossdock-prod-email",
      metadata: { metrics: { backlogCount: 3, backlogBytes: 10 } },
      messages: [],
      ackAll: () => calls.push("ack"),
      retryAll: () => calls.push("retry"),
    } as unknown as MessageBatch<unknown>;
    const declared = withDeclaredQueue(batch, "crossdock-prod-");
    expect(declared.queue).toBe("crossdock-email");
    expect(declared.metadata.metrics.backlogCount).toBe(3);
    declared.ackAll();
    declared.retryAll();
    expect(calls).toEqual(["ack", "retry"]);
    expect(withDeclaredQueue(batch, "crossdock-")).toBe(batch);
  });
});
