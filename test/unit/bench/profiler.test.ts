import { describe, expect, it } from "vitest";
import { type Profile, summariseProfile } from "../../../bench/lib/profiler";

const frame = (id: number, functionName: string) => ({
  id,
  callFrame: { functionName, url: "file:///bundle/index.js", lineNumber: id },
});

describe("summariseProfile", () => {
  it("shares self time by samples, so one starved sample's long gap does not land on one function", () => {
    const profile: Profile = {
      nodes: [frame(1, "dispatch"), frame(2, "write"), frame(3, "toJson")],
      // 1 sample of dispatch after an 800 ms gap, then 3 of write and 6 of toJson at 0.1 ms each.
      samples: [1, 2, 2, 2, 3, 3, 3, 3, 3, 3],
      timeDeltas: [800_000, 100, 100, 100, 100, 100, 100, 100, 100, 100],
    };
    expect(summariseProfile(profile).split("\n")).toEqual([
      " 60.0%  toJson index.js:4",
      " 30.0%  write index.js:3",
      " 10.0%  dispatch index.js:2",
    ]);
  });
});
