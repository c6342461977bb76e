import { describe, expect, it } from "vitest";
import {
  judgeLoad,
  LOAD_GUARD_DEFAULTS,
  loadGuardSettings,
  sectionDestination,
} from "../../../bench/lib/load-guard";

const strict = { maxLoad: 1, allowLoad: false };
const allowing = { maxLoad: 1, allowLoad: true };

describe("judgeLoad", () => {
  it("publishes a run whose every sample is at most the threshold", () => {
    const j = judgeLoad([0.05, 0.4, 1], strict);
    expect(j).toMatchObject({ peak: 1, quiet: true, publish: true });
    expect(j.summary).toBe("Outside load peaked at 1 (threshold BENCH_MAX_LOAD=1): quiet enough to publish.");
  });

  it("refuses when one sample is above it: the peak decides, not the mean", () => {
    // Mean (0.1 + 0.1 + 1.3) / 3 = 0.5 would pass; the burst during one pause does not.
    const j = judgeLoad([0.1, 0.1, 1.3], strict);
    expect(j).toMatchObject({ peak: 1.3, quiet: false, publish: false });
    expect(j.summary).toContain("peaked at 1.3");
    expect(j.summary).toContain("docs/BENCHMARKS.md is not written");
  });

  it("publishes a busy run when BENCH_ALLOW_LOAD=1, still calling it busy", () => {
    const j = judgeLoad([0.1, 2.4], allowing);
    expect(j).toMatchObject({ peak: 2.4, quiet: false, publish: true });
    expect(j.summary).toContain("busy, published anyway because BENCH_ALLOW_LOAD=1");
  });

  it("does not count a load that was not measured as quiet (a run saved before the guard)", () => {
    expect(judgeLoad([], strict)).toMatchObject({ peak: null, quiet: false, publish: false });
    expect(judgeLoad([Number.NaN], strict)).toMatchObject({ peak: null, quiet: false });
    expect(judgeLoad([], allowing)).toMatchObject({ quiet: false, publish: true });
    expect(judgeLoad([], strict).summary).toMatch(/^Outside load was not measured: not shown to be quiet:/);
  });

  it("honours a stricter threshold", () => {
    expect(judgeLoad([0.4], { maxLoad: 0.25, allowLoad: false }).publish).toBe(false);
    expect(judgeLoad([0], { maxLoad: 0, allowLoad: false }).publish).toBe(true);
  });
});

describe("loadGuardSettings", () => {
  it("defaults to a threshold of 1 and no override", () => {
    expect(loadGuardSettings({})).toEqual(LOAD_GUARD_DEFAULTS);
    expect(LOAD_GUARD_DEFAULTS).toEqual({ maxLoad: 1, allowLoad: false });
    expect(loadGuardSettings({ BENCH_MAX_LOAD: " " })).toEqual(LOAD_GUARD_DEFAULTS);
  });

  it("reads BENCH_MAX_LOAD as a decimal and only BENCH_ALLOW_LOAD=1 as allowing", () => {
    expect(loadGuardSettings({ BENCH_MAX_LOAD: "0.5", BENCH_ALLOW_LOAD: "1" })).toEqual({
      maxLoad: 0.5,
      allowLoad: true,
    });
    for (const no of ["0", "", "true", "yes"]) {
      expect(loadGuardSettings({ BENCH_ALLOW_LOAD: no }).allowLoad, no).toBe(false);
    }
  });

  it("rejects a threshold that is not a number from 0 to 64", () => {
    for (const bad of ["-1", "65", "abc", "1,5"]) {
      expect(() => loadGuardSettings({ BENCH_MAX_LOAD: bad }), bad).toThrow(
        /BENCH_MAX_LOAD must be a number/,
      );
    }
  });
});

describe("sectionDestination", () => {
  it("sends a quiet full run to docs/BENCHMARKS.md", () => {
    expect(sectionDestination(false, judgeLoad([0.2], strict))).toEqual({
      target: "docs",
      refused: false,
      note: "",
    });
  });

  it("refuses a busy full run: bench/.results only, and the harness must fail", () => {
    const d = sectionDestination(false, judgeLoad([1.5], strict));
    expect(d).toMatchObject({ target: "results", refused: true });
    expect(d.note).toContain("busy machine");
  });

  it("publishes a busy full run with BENCH_ALLOW_LOAD=1", () => {
    expect(sectionDestination(false, judgeLoad([1.5], allowing))).toMatchObject({
      target: "docs",
      refused: false,
    });
  });

  it("keeps a smoke run out of the docs without failing it, whatever the load", () => {
    for (const load of [null, judgeLoad([0], strict), judgeLoad([9], strict)]) {
      expect(sectionDestination(true, load)).toMatchObject({ target: "results", refused: false });
    }
  });

  it("refuses a full run whose load was not measured", () => {
    expect(sectionDestination(false, null)).toMatchObject({ target: "results", refused: true });
    expect(sectionDestination(false, judgeLoad([], strict))).toMatchObject({ refused: true });
  });
});
