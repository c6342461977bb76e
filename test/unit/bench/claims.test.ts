import { describe, expect, it } from "vitest";
import type { LevelSummary, PathSummary } from "../../../bench/chain/report";
import { chainClaims } from "../../../bench/claims";

const path = (over: Partial<PathSummary>): PathSummary => ({
  p50Ms: 100,
  p99Ms: 200,
  placementsPerSec: 50,
  donePerSec: 50,
  toDoneP99Ms: 300,
  cpuSeconds: 1,
  heldRssMiB: 5,
  peakRssMiB: 100,
  failedTotal: 0,
  timeoutsTotal: 0,
  notDoneTotal: 0,
  requestsTotal: 3000,
  ...over,
});

const level = (saga: Partial<PathSummary>): LevelSummary => ({
  buyers: 1000,
  chain: path({ p99Ms: 10_000 }),
  saga: path(saga),
  p99Ratio: { ratio: 0.02, interval: { low: 0.01, high: 0.03 }, rounds: 3 },
  verdict: "met",
});

const chainRow = (saga: Partial<PathSummary>) =>
  chainClaims({ levels: [level(saga)], fragility: [], config: { rounds: 3 } })[0]!;

describe("the article's claims: request chain vs 202 + saga", () => {
  it("counts a placement the client gave up on once: failures already include the timeouts", () => {
    const row = chainRow({ failedTotal: 747, timeoutsTotal: 747 });
    expect(row.measured).toContain("saga failed or timed out 747/3000");
    expect(row.verdict).toBe("missed");
  });

  it("is met only with the ratio met and no failed placement", () => {
    expect(chainRow({}).verdict).toBe("met");
    expect(chainRow({ failedTotal: 1 }).verdict).toBe("missed");
  });
});
