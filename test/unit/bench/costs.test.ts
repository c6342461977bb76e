import { describe, expect, it } from "vitest";
import { billed, diffFlows, type Snapshot } from "../../../bench/costs/measure";
import { type CostsResults, type RoundResult, summarise } from "../../../bench/costs/report";
import { runCost } from "../../../gameday/lib/cost";
import { emptyUsage, type Usage } from "../../../src/platform/costs/model";

const usage = (u: Partial<Usage>): Usage => ({ ...emptyUsage(), ...u });
const snap = (flows: Record<string, Partial<Usage>>): Snapshot => ({
  flows: Object.fromEntries(Object.entries(flows).map(([k, u]) => [k, usage(u)])),
  outboxBacklog: 0,
});

describe("a workload's bill from two readings of /ops/costs", () => {
  const before = snap({ accounts: { fetches: 10, d1RowsWritten: 30 }, ops: { fetches: 5 } });
  const after = snap({
    accounts: { fetches: 12, d1RowsWritten: 36, facts: 2 },
    email: { queueBatches: 1 },
    ops: { fetches: 9 },
    "payment-sandbox": { doRequests: 4 },
  });

  it("is the difference per flow, new flows from zero", () => {
    const d = diffFlows(before, after);
    expect(d.accounts).toMatchObject({ fetches: 2, d1RowsWritten: 6, facts: 2 });
    expect(d.email).toMatchObject({ queueBatches: 1 });
  });

  it("leaves out the bench's own polls and the payment sandbox", () => {
    expect(billed(diffFlows(before, after))).toMatchObject({
      fetches: 2,
      queueBatches: 1,
      d1RowsWritten: 6,
      doRequests: 0,
    });
  });

  it("prices a game day per million facts: 3 requests ($0.30/M) + 6 rows ($1/M) over 2 facts", () => {
    // (3 x 0.30 + 6 x 1.00) / 1M = $0.0000069 for the run; / 2 facts x 1M = $3.45 per million.
    const cost = runCost(before, after);
    expect(cost?.run).toBeCloseTo(0.0000069, 12);
    expect(cost?.perMillionEvents).toBeCloseTo(3.45, 9);
    expect(runCost(before, before)).toBeNull();
  });
});

describe("the costs section's summary", () => {
  const round = (n: number, dollars: number): RoundResult => ({
    round: n,
    workload: "analytics events",
    units: 1000,
    flows: {},
    usage: usage({ d1RowsWritten: dollars * 1_000_000 }),
    cpuSeconds: null,
    facts: 2,
    minimumDollars: 0.0012,
    packedMinimumDollars: 0.000_002_4,
    dollars,
  });

  it("takes the ratio over rounds against the per-unit floor and judges the 1.5x goal", () => {
    const results = { config: {}, rounds: [round(1, 0.0036), round(2, 0.0036), round(3, 0.0036)] };
    const [s] = summarise(results as unknown as CostsResults);
    expect(s?.perMillion).toBeCloseTo(3.6, 9);
    expect(s?.minimumPerMillion).toBeCloseTo(1.2, 9);
    expect(s?.ratio.ratio).toBeCloseTo(3, 9);
    expect(s?.verdict).toBe("missed");
  });
});
