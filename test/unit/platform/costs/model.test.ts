import { describe, expect, it } from "vitest";
import {
  costOf,
  emptyUsage,
  minimumDeliveryDollars,
  perMillion,
  queueOps,
  totalDollars,
  workflowSagaCost,
} from "../../../../src/platform/costs/model";
import { INCLUDED_PER_MONTH, PRICES } from "../../../../src/platform/costs/prices";
import { todaySpend } from "../../../../src/platform/costs/report";

const dollarsOf = (items: ReturnType<typeof costOf>) =>
  Object.fromEntries(items.filter((i) => i.quantity > 0).map((i) => [i.item, i.dollars]));

describe("the cost model, against a hand-checked example", () => {
  /*
   * 1,000 facts, each one request that writes 3 D1 rows and reads 5, and is delivered to 2 consumers
   * in batches of 10 (200 deliveries, 20 batches), every delivery acked, 10 of them retried once
   * (10 more reads), one 70 KB message among the sends (2 ops each way instead of 1), and 4,000 log
   * lines of 500 bytes (2,000,000 bytes = 0.002 GB, kept 7 days):
   *   Workers requests  1,000 fetches + 20 batches = 1,020 x $0.30/M          = $0.000306
   *   Queues ops        writes 2,000+1 + reads 2,000+10+1 + deletes 2,000+1
   *                     = 6,013 x $0.40/M                                      = $0.0024052
   *   D1 rows read      5,000 x $0.001/M                                       = $0.000005
   *   D1 rows written   3,000 x $1.00/M                                        = $0.003
   *   DO requests       100 x $0.15/M                                          = $0.000015
   *   DO duration       100 calls x 50 ms = 5 s x 0.128 GB = 0.64 GB-s x $12.50/M = $0.000008
   *   R2 class A        10 x $4.50/M                                           = $0.000045
   *   R2 class B        20 x $0.36/M                                           = $0.0000072
   *   CPU (given)       2,000 ms x $0.02/M                                     = $0.00004
   *   Logs ingested     0.002 GB x $0.25/GB                                    = $0.0005
   *   Logs stored       0.002 GB x 7/30 = 0.00046667 GB-month x $0.10          = $0.000046667
   *   Total                                                                    = $0.006378067
   * Per 1M facts: $0.006378067 / 1,000 x 1,000,000 = $6.378067.
   */
  const usage = {
    ...emptyUsage(),
    facts: 1000,
    fetches: 1000,
    queueBatches: 20,
    d1RowsRead: 5000,
    d1RowsWritten: 3000,
    queueWriteOps: 2001,
    queueReadOps: 2011,
    queueDeleteOps: 2001,
    doRequests: 100,
    doWallMs: 5000,
    r2ClassA: 10,
    r2ClassB: 20,
    logLines: 4000,
    logBytes: 2_000_000,
  };
  const items = costOf(usage, 2000);

  it("prices each line", () => {
    const d = dollarsOf(items);
    expect(d.workerRequest).toBeCloseTo(0.000306, 12);
    expect(d.queueOperation).toBeCloseTo(0.0024052, 12);
    expect(d.d1RowRead).toBeCloseTo(0.000005, 12);
    expect(d.d1RowWritten).toBeCloseTo(0.003, 12);
    expect(d.doRequest).toBeCloseTo(0.000015, 12);
    expect(d.doDurationGbS).toBeCloseTo(0.000008, 12);
    expect(d.r2ClassA).toBeCloseTo(0.000045, 12);
    expect(d.r2ClassB).toBeCloseTo(0.0000072, 12);
    expect(d.workerCpuMs).toBeCloseTo(0.00004, 12);
    expect(d.logIngestGb).toBeCloseTo(0.0005, 12);
    expect(d.logStorageGbMonth).toBeCloseTo(0.000046667, 9);
  });

  it("adds up, and per 1M facts", () => {
    expect(totalDollars(items)).toBeCloseTo(0.006378067, 9);
    expect(perMillion(totalDollars(items), usage.facts)).toBeCloseTo(6.378067, 6);
    expect(perMillion(1, 0)).toBeNull();
  });

  it("counts a queue message in 64 KB operations", () => {
    expect(queueOps(10)).toBe(1);
    expect(queueOps(64 * 1024)).toBe(1);
    expect(queueOps(64 * 1024 + 1)).toBe(2);
    expect(queueOps(70_000)).toBe(2);
  });

  it("puts the platform's floor at write + read + delete per subscriber", () => {
    // 2 subscribers x 3 ops x $0.40/M = $0.0000024 per fact; $2.40 per 1M facts.
    expect(minimumDeliveryDollars(2, 500) * 1_000_000).toBeCloseTo(2.4, 9);
    // A 100 KB fact is 2 ops each way: twice that.
    expect(minimumDeliveryDollars(2, 100_000) * 1_000_000).toBeCloseTo(4.8, 9);
  });

  it("prices a saga on Workflows: invocations, CPU and stored step state, no fee per step", () => {
    // 1M instances x 5 steps x 2 KB = 10 GB kept 3 days = 1 GB-month x $0.20 = $0.20;
    // 1M invocations x $0.30/M = $0.30; 10M CPU ms x $0.02/M = $0.20. Total $0.70.
    const w = workflowSagaCost({
      instances: 1_000_000,
      stepsPerInstance: 5,
      stateBytesPerStep: 2000,
      retentionDays: 3,
      cpuMs: 10_000_000,
    });
    expect(totalDollars(w)).toBeCloseTo(0.7, 9);
  });

  it("says whether today is inside a day's share of the allowances", () => {
    const quiet = todaySpend({
      since: 0,
      flows: { a: { ...emptyUsage(), d1RowsWritten: 10 } },
      consumers: {},
    });
    expect(quiet.insideAllowances).toBe(true);
    const busy = todaySpend({
      since: 0,
      flows: { a: { ...emptyUsage(), d1RowsWritten: (INCLUDED_PER_MONTH.d1RowWritten ?? 0) / 30 + 1 } },
      consumers: {},
    });
    expect(busy.insideAllowances).toBe(false);
    expect(busy.allowances.find((a) => a.item === "d1RowWritten")?.inside).toBe(false);
  });

  it("names a source and a price for every unit", () => {
    for (const p of Object.values(PRICES)) {
      expect(p.source).toMatch(/^https:\/\/developers\.cloudflare\.com\//);
      expect(p.dollars).toBeGreaterThan(0);
    }
  });
});
