import { describe, expect, it } from "vitest";
import { sortTimeline } from "../../../src/flows/ops/timeline";

describe("sortTimeline", () => {
  it("orders by time, then request before event before attempt, then id or recording order", () => {
    const entries = [
      { kind: "attempt" as const, at: 20, seq: 2, name: "retry" },
      { kind: "attempt" as const, at: 10, seq: 1, name: "first attempt" },
      { kind: "event" as const, at: 10, id: "evt_b", name: "second event" },
      { kind: "event" as const, at: 10, id: "evt_a", name: "first event" },
      { kind: "request" as const, at: 10, name: "request" },
      { kind: "event" as const, at: 30, id: "evt_c", name: "caused by the retry" },
      { kind: "attempt" as const, at: 20, seq: 3, name: "other consumer" },
    ];
    expect(sortTimeline(entries).map((e) => e.name)).toEqual([
      "request",
      "first event",
      "second event",
      "first attempt",
      "retry",
      "other consumer",
      "caused by the retry",
    ]);
    expect(entries[0]?.name).toBe("retry"); // the input is left alone
  });
});
