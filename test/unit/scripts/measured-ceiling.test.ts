import { describe, expect, it } from "vitest";
import type { Flow } from "../../../bench/d1-writes/flows";
import { ceilingOf, summariseFlow, type Window } from "../../../bench/d1-writes/knee";
import { ceilingFromResults } from "../../../scripts/capacity/measured-ceiling";
import { d1Shards } from "../../../scripts/capacity/plan";

/** One 1-second window: `rows` rows in `rows / rowsPerBatch` batches, from `calls` calls. */
const win = (flow: Flow, lanes: number, round: number, rows: number, rowsPerBatch = 10): Window => ({
  flow,
  lanes,
  round,
  wallMs: 1000,
  calls: rows / rowsPerBatch,
  batches: rows / rowsPerBatch,
  statements: (rows / rowsPerBatch) * 3,
  rowsWritten: rows,
  failedBatches: 0,
  firstError: null,
  batchMs: [5],
});

// Rows/s by writers in flight, two rounds each: rises to 8, then flat within the noise.
const CHECKOUT: [number, number, number][] = [
  [1, 1000, 1000],
  [2, 1800, 1800],
  [4, 2600, 2600],
  [8, 3000, 3200],
  [16, 3100, 3100],
];

describe("bench:d1: knee and ceiling", () => {
  const windows = CHECKOUT.flatMap(([lanes, a, b]) => [
    win("checkout", lanes, 0, a),
    win("checkout", lanes, 1, b),
  ]);
  const checkout = summariseFlow("checkout", windows, 1);

  it("puts the knee at the fewest writers reaching 90% of the best median", () => {
    // Best median 3,100 (×8's is 3,100 too); 90% of it is 2,790: ×4's 2,600 falls short, ×8 reaches it.
    expect(checkout.kneeLanes).toBe(8);
    // Geometric mean of 3,000 and 3,200: √9,600,000 ≈ 3,098.4.
    expect(checkout.rowsPerS.ratio).toBeCloseTo(Math.sqrt(3000 * 3200), 6);
    expect(checkout.rowsPerOperation).toBe(10);
    expect(checkout.vsPublished.ratio).toBeCloseTo(Math.sqrt(3 * 3.2), 6);
  });

  it("takes the slowest flow as the database's ceiling", () => {
    const bookkeeping = summariseFlow(
      "bookkeeping",
      [win("bookkeeping", 1, 0, 8000, 100), win("bookkeeping", 1, 1, 8000, 100)],
      50,
    );
    const ceiling = ceilingOf([bookkeeping, checkout]);
    expect(ceiling.flow).toBe("checkout");
    expect(ceiling.rowsPerS).toBe(3098);
  });
});

describe("capacity: --d1-write-ceiling-from", () => {
  const run = (over: Record<string, unknown> = {}) =>
    JSON.stringify({
      ceiling: {
        rowsPerS: 2000,
        flow: "checkout",
        basis: "the slowest flow (checkout) at its knee (4 in flight), geometric mean of the rounds",
        estimate: { ratio: 2000.4, interval: { low: 1800.2, high: 2200.7 }, rounds: 5 },
      },
      machine: { gitCommit: "abc1234", date: "2026-12-05T23:00:00.000Z" },
      config: { smoke: false },
      judgement: { quiet: true },
      ...over,
    });

  it("reads the measured ceiling and says where it came from", () => {
    const measured = ceilingFromResults(run(), "d1-writes.json");
    expect(measured.rowsPerS).toBe(2000);
    expect(measured.source).toContain("commit abc1234 on 2026-12-05 [1800, 2201]");
    expect(measured.source).toContain("upper bound for the D1 service");
    expect(measured.source).not.toContain("busy");
    const busy = ceilingFromResults(run({ judgement: { quiet: false } }), "d1-writes.json");
    expect(busy.source).toContain("on a busy machine");
  });

  it("sizes the shards on it: 231,354 rows/s ÷ 2,000 → 116 databases (232 at the published 1,000)", () => {
    const { rowsPerS } = ceilingFromResults(run(), "d1-writes.json");
    expect(d1Shards(231_354, rowsPerS)).toBe(116);
    expect(d1Shards(231_354, 1_000)).toBe(232);
  });

  it("reads back what the bench writes", () => {
    const ceiling = ceilingOf([
      summariseFlow("checkout", [win("checkout", 1, 0, 1500), win("checkout", 1, 1, 1500)], 1),
    ]);
    expect(ceilingFromResults(run({ ceiling }), "d1-writes.json").rowsPerS).toBe(1500);
  });

  it("refuses a smoke run, a file without a ceiling, and text that is not JSON", () => {
    expect(() => ceilingFromResults(run({ config: { smoke: true } }), "f.json")).toThrow(/smoke run/);
    expect(() => ceilingFromResults(run({ ceiling: { rowsPerS: 0 } }), "f.json")).toThrow(/not a bench:d1/);
    expect(() => ceilingFromResults("{", "f.json")).toThrow(/not JSON/);
  });
});
