import { describe, expect, it } from "vitest";
import {
  type ConsumerSpec,
  d1Shards,
  monthlyCost,
  monthlyUsage,
  planQueue,
  planQueues,
  type QueuePlan,
} from "../../../scripts/capacity/plan";
import {
  crossdockConsumers,
  DEFAULT_LOAD,
  factsPerS,
  type Load,
  measuredPerUnit,
  perSecondUsage,
} from "../../../scripts/capacity/workload";

/**
 * The hand-worked example of docs/CAPACITY.md: 500 checkouts/s, 20,000 client events/s (one a message),
 * no sign-ups or imports, a 30-minute recovery window, every message 400 bytes (+100 of Queues' metadata
 * = 500 bytes stored). Crossdock's real consumers and fan-out; their default times per message.
 */
const EXAMPLE: Load = {
  ...DEFAULT_LOAD,
  checkoutsPerS: 500,
  eventsPerS: 20_000,
  signupsPerS: 0,
  importRowsPerS: 0,
  eventsPerMessage: 1,
  recoveryMinutes: 30,
};
const RECOVERY_S = 30 * 60; // 1,800 s
const factsPerSecond = factsPerS(EXAMPLE);
const sized = (bytes: number) => ({
  factsPerS: factsPerSecond,
  messageBytes: Object.fromEntries(Object.keys(factsPerSecond).map((t) => [t, bytes])),
});
const plans = planQueues(crossdockConsumers(), sized(400), RECOVERY_S);
const byConsumer = (name: string): QueuePlan => {
  const plan = plans.find((p) => p.consumer === name);
  if (!plan) throw new Error(`no plan for ${name}`);
  return plan;
};

describe("capacity plan: the hand-worked example", () => {
  it("fans a checkout out as its subscriptions say", () => {
    // order.placed → order-saga, order-projection, merchant-orders; order.confirmed → order-projection,
    // merchant-orders, email, settlement-entries, sales-lines: 8 messages per checkout, 4,000 msgs/s.
    const checkoutQueues = plans.filter((p) => p.consumer !== "analytics");
    expect(checkoutQueues.reduce((s, p) => s + p.messagesPerS, 0)).toBe(4_000);
    expect(byConsumer("order-projection").messagesPerS).toBe(1_000);
    expect(byConsumer("email").messagesPerS).toBe(500);
  });

  it("adds a refund's two facts for the refunded share of orders", () => {
    // Half of 500 orders refunded: 250 order.refund_requested (order-projection, merchant-orders) and
    // 250 order.refunded (those two, settlement-entries, sales-lines). order-projection: 1,000 + 500.
    const refunds = planQueues(
      crossdockConsumers(),
      { ...sized(400), factsPerS: factsPerS({ ...EXAMPLE, refundShare: 0.5 }) },
      RECOVERY_S,
    );
    const rate = (name: string) => refunds.find((p) => p.consumer === name)?.messagesPerS;
    expect([rate("order-projection"), rate("settlement-entries"), rate("email")]).toEqual([1_500, 750, 500]);
  });

  it("order-saga: 500 msgs/s, a batch's 100 messages at once, 1 invocation, 1 queue", () => {
    // 500 / 100 = 5 batches/s; a batch takes one message's 20 ms (100 in parallel): 5 × 0.02 = 0.1 → 1.
    // Backlog 500 × 1,800 = 900,000 messages × 500 B = 450 MB. Full concurrency drains
    // 250 × 100 msgs / 0.02 s = 1,250,000 msgs/s; less the 500 arriving: 900,000 / 1,249,500 = 0.72 s.
    const p = byConsumer("order-saga");
    expect(p).toMatchObject({ messagesPerS: 500, batchSize: 100, concurrency: 1, partitions: 1 });
    expect(p.backlogMessages).toBe(900_000);
    expect(p.backlogBytes).toBe(450_000_000);
    expect(p.drainS).toBeCloseTo(900_000 / 1_249_500, 6);
  });

  it("order-projection: 1,000 msgs/s, 10 invocations, 1 queue, 75 s to catch up", () => {
    // 1,000 / 100 = 10 batches/s, each 100 × 10 ms = 1 s: 10 in flight. Backlog 1,800,000 messages,
    // 900 MB. Drain: 250 × 100 msgs/s = 25,000 msgs/s − 1,000 = 24,000; 1,800,000 / 24,000 = 75 s.
    const p = byConsumer("order-projection");
    expect(p).toMatchObject({ concurrency: 10, partitions: 1, partitionsBoundBy: "minimum" });
    expect(p.backlogBytes).toBe(900_000_000);
    expect(p.drainS).toBe(75);
  });

  it("email: 500 msgs/s at 250 ms each needs 125 invocations, and catches up as slowly as it fell behind", () => {
    // 500 / 10 = 50 batches/s, each 10 × 250 ms = 2.5 s: 125 in flight (under 250: 1 queue). Drain:
    // 250 invocations × 10 msgs / 2.5 s = 1,000 msgs/s − 500 = 500; 900,000 / 500 = 1,800 s = the outage.
    const p = byConsumer("email");
    expect(p).toMatchObject({ concurrency: 125, partitions: 1, concurrencyPerPartition: 125 });
    expect(p.drainS).toBe(1_800);
  });

  it("analytics: 20,000 msgs/s ÷ 5,000 a queue → 4 queues of 50 invocations", () => {
    // 20,000 / 50 = 400 batches/s, each 50 × 10 ms = 0.5 s: 200 in flight. Throughput: 20,000 / 5,000
    // = 4 queues; concurrency 200 / 250 → 1; backlog 36,000,000 × 500 B = 18 GB / 25 GB → 1. So 4,
    // bound by throughput, 200 / 4 = 50 each. Drain: 4 × 250 × 50 / 0.5 s = 100,000 − 20,000 = 80,000
    // msgs/s; 36,000,000 / 80,000 = 450 s.
    const p = byConsumer("analytics");
    expect(p).toMatchObject({
      concurrency: 200,
      partitions: 4,
      partitionsBoundBy: "throughput",
      concurrencyPerPartition: 50,
      backlogMessages: 36_000_000,
      backlogBytes: 18e9,
      drainS: 450,
    });
  });

  it("keeps the default retention: 30 minutes is far under 4 days", () => {
    for (const p of plans) expect(p).toMatchObject({ retentionS: 1_800, retention: "default" });
  });
});

const spec = (over: Partial<ConsumerSpec> = {}): ConsumerSpec => ({
  name: "c",
  queue: "q",
  batchSize: 100,
  inParallel: 1,
  handlingMs: 10,
  handlingSource: "test",
  subscribes: ["t"],
  ...over,
});
const at = (perS: number, bytes = 400) => ({ factsPerS: { t: perS }, messageBytes: { t: bytes } });

describe("capacity plan: edges", () => {
  it("no load: one queue each, nothing in flight, no backlog, one D1, the plan's $5 only", () => {
    const idle: Load = { ...EXAMPLE, checkoutsPerS: 0, eventsPerS: 0 };
    const queues = planQueues(crossdockConsumers(), sized(400), RECOVERY_S).map((q) => q.consumer);
    const idlePlans = planQueues(
      crossdockConsumers(),
      { factsPerS: factsPerS(idle), messageBytes: {} },
      1_800,
    );
    expect(idlePlans.map((q) => q.consumer)).toEqual(queues);
    for (const p of idlePlans)
      expect(p).toMatchObject({
        messagesPerS: 0,
        messageBytes: 0,
        concurrency: 0,
        partitions: 1,
        partitionsBoundBy: "minimum",
        backlogBytes: 0,
        drainS: 0,
      });
    expect(d1Shards(perSecondUsage(idle).d1RowsWritten ?? 0, 1_000)).toBe(1);
    expect(monthlyCost(monthlyUsage(idlePlans, perSecondUsage(idle))).dollars).toBe(5);
  });

  it("exactly 5,000 msgs/s is one queue; one more message is two", () => {
    expect(planQueue(spec({ handlingMs: 1 }), at(5_000), 0)).toMatchObject({
      partitions: 1,
      partitionsBoundBy: "throughput",
    });
    expect(planQueue(spec({ handlingMs: 1 }), at(5_001), 0).partitions).toBe(2);
  });

  it("exactly 250 invocations is one queue; more is two", () => {
    // 2,500 msgs/s / 100 = 25 batches/s × (100 × 100 ms = 10 s) = 250 in flight.
    expect(planQueue(spec({ handlingMs: 100 }), at(2_500), 0)).toMatchObject({
      concurrency: 250,
      partitions: 1,
      partitionsBoundBy: "concurrency",
    });
    expect(planQueue(spec({ handlingMs: 100.1 }), at(2_500), 0)).toMatchObject({
      concurrency: 251,
      partitions: 2,
    });
  });

  it("splits a queue whose backlog would pass 25 GB", () => {
    // 1,000 msgs/s of 119,900 B (+100) for 4 h: 14,400,000 × 120,000 B = 1,728 GB / 25 GB → 70 queues.
    const p = planQueue(spec({ handlingMs: 0.001 }), at(1_000, 119_900), 4 * 3600);
    expect(p).toMatchObject({ backlogBytes: 1.728e12, partitions: 70, partitionsBoundBy: "backlog" });
  });

  it("drains with what full concurrency has to spare, and never when nothing is spare", () => {
    // 300 msgs/s at 1 s each, one a batch: 300 in flight → 2 queues.
    expect(planQueue(spec({ batchSize: 1, handlingMs: 1_000 }), at(300), 60)).toMatchObject({
      concurrency: 300,
      partitions: 2,
    });
    // 200 msgs/s: 1 queue of 250 × 1 msg / 1 s = 250 msgs/s, 50 spare; 12,000 waiting → 240 s.
    expect(planQueue(spec({ batchSize: 1, handlingMs: 1_000 }), at(200), 60).drainS).toBe(240);
    // 125 msgs/s at 2 s: 250 in flight, exactly the queue's 250 × 1 / 2 s = 125 msgs/s, none spare.
    expect(planQueue(spec({ batchSize: 1, handlingMs: 2_000 }), at(125), 60).drainS).toBeNull();
  });

  it("retention: 4 days is the default, more must be set, past 14 days cannot be", () => {
    const day = 86_400;
    expect(planQueue(spec(), at(1), 0)).toMatchObject({ retentionS: 60, retention: "default" });
    expect(planQueue(spec(), at(1), 4 * day).retention).toBe("default");
    expect(planQueue(spec(), at(1), 4 * day + 1).retention).toBe("set");
    expect(planQueue(spec(), at(1), 14 * day).retention).toBe("set");
    expect(planQueue(spec(), at(1), 14 * day + 1).retention).toBe("over-maximum");
  });

  it("D1 shards: the ceiling exactly is one database, a row more is two", () => {
    expect(d1Shards(1_000, 1_000)).toBe(1);
    expect(d1Shards(1_001, 1_000)).toBe(2);
    expect(d1Shards(0.1 + 0.2, 0.3)).toBe(1);
  });
});

describe("capacity plan: the monthly bill", () => {
  it("prices a queue's operations and batches with the cost model", () => {
    // 1 msg/s of 400 B for 2,592,000 s: a write, a read and a delete each = 7,776,000 operations at
    // $0.40 per 1M = $3.1104; 0.01 batches/s (batch 100) = 25,920 requests at $0.30 per 1M = $0.007776;
    // plus the paid plan's $5.
    const usage = monthlyUsage([planQueue(spec(), at(1), 0)], {});
    expect(usage.queueWriteOps + usage.queueReadOps + usage.queueDeleteOps).toBe(7_776_000);
    expect(monthlyCost(usage).dollars).toBeCloseTo(3.1104 + 0.007776 + 5, 9);
  });

  it("reads a unit's measured operations back from its dollars per 1M", () => {
    // docs/BENCHMARKS.md, Costs: checkouts $151 of D1 rows written per 1M at $1 per 1M rows → 151 rows;
    // $0.8811 of Durable Object duration at $12.50 per 1M GB-s → 0.070488 GB-s / 0.128 GB = 550.6875 ms.
    const checkout = measuredPerUnit("checkout");
    expect(checkout.d1RowsWritten).toBeCloseTo(151, 9);
    expect(checkout.doWallMs).toBeCloseTo(550.6875, 9);
  });
});
