import { afterEach, describe, expect, it, vi } from "vitest";

afterEach(() => {
  vi.useRealTimers();
  vi.resetModules();
});

describe("the cost meter's start", () => {
  it("given a module loaded where the clock reads 0 (workerd's global scope), then `since` is the first read's time", async () => {
    vi.useFakeTimers({ now: 0, toFake: ["Date"] });
    vi.resetModules();
    const { readCounters } = await import("../../../../src/platform/costs/meter");
    const first = Date.parse("2026-12-05T17:00:00.000Z");
    vi.setSystemTime(first);
    expect(readCounters().total.since).toBe(first);
    vi.setSystemTime(first + 60_000);
    expect(readCounters().total.since).toBe(first);
  });
});
