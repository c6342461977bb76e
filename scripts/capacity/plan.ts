import {
  costOf,
  emptyUsage,
  type LineItem,
  queueOps,
  totalDollars,
  type Usage,
} from "../../src/platform/costs/model";
import { PAID_PLAN_MONTHLY_DOLLARS } from "../../src/platform/costs/prices";
import { LIMITS } from "./limits";

/**
 * The right-sizing arithmetic behind `npm run capacity`, pure: a load and a description of each
 * consumer in, per-queue figures and a monthly bill out. docs/CAPACITY.md walks through it step by step;
 * test/unit/scripts/capacity.test.ts checks it against a hand-worked example.
 */

/** A month as the cost model counts one (GB-month = GB x days / 30). */
export const SECONDS_PER_MONTH = 30 * 86_400;

/** One consumer's queue, as the plan needs it. */
export interface ConsumerSpec {
  name: string;
  queue: string;
  /** max_batch_size from its flow's declaration (equal to wrangler.toml). */
  batchSize: number;
  /** How many of a batch's messages its handler runs at once (1: one after another). */
  inParallel: number;
  /** Time to handle one message, and where that figure comes from. */
  handlingMs: number;
  handlingSource: string;
  subscribes: readonly string[];
}

/** Facts per second by type, and each type's message size in bytes (the JSON envelope). */
export interface FactLoad {
  factsPerS: Readonly<Record<string, number>>;
  messageBytes: Readonly<Record<string, number>>;
}

export interface QueuePlan {
  consumer: string;
  queue: string;
  messagesPerS: number;
  /** Mean message size, weighted by each subscribed type's rate. */
  messageBytes: number;
  batchSize: number;
  batchesPerS: number;
  handlingMs: number;
  handlingSource: string;
  /** Invocations in flight at the steady rate (Little's law), across all partitions. */
  concurrency: number;
  /** Queues to split the consumer's traffic over; the binding that sets each one's bound. */
  partitions: number;
  partitionsBoundBy: "minimum" | "throughput" | "concurrency" | "backlog";
  /** max_concurrency to set on each partition's consumer. */
  concurrencyPerPartition: number;
  backlogMessages: number;
  backlogBytes: number;
  /** Time to work off the backlog at full concurrency while new messages keep arriving; null: never. */
  drainS: number | null;
  retentionS: number;
  retention: "default" | "set" | "over-maximum";
}

/** What one queue must hold and how fast, for `recoveryS` of its consumer being down. */
export function planQueue(spec: ConsumerSpec, load: FactLoad, recoveryS: number): QueuePlan {
  let messagesPerS = 0;
  let bytesPerS = 0;
  for (const type of spec.subscribes) {
    const rate = load.factsPerS[type] ?? 0;
    messagesPerS += rate;
    bytesPerS += rate * (load.messageBytes[type] ?? 0);
  }
  const messageBytes = messagesPerS > 0 ? bytesPerS / messagesPerS : 0;
  const batchesPerS = messagesPerS / spec.batchSize;
  // A batch lasts as long as its messages one after another, or as one round of `inParallel` at once.
  const batchMs = Math.ceil(spec.batchSize / spec.inParallel) * spec.handlingMs;
  const concurrency = Math.ceil(roundUp(batchesPerS * (batchMs / 1000)));
  const backlogMessages = Math.ceil(roundUp(messagesPerS * recoveryS));
  // Stored as sent, plus Queues' own metadata per message.
  const backlogBytes = backlogMessages * (messageBytes + LIMITS.queueMetadataBytes.value);
  // How many queues' worth each limit is being asked for; the largest decides, and names the bound.
  const demand = {
    throughput: roundUp(messagesPerS / LIMITS.queueMessagesPerS.value),
    concurrency: roundUp(concurrency / LIMITS.queueMaxConcurrency.value),
    backlog: roundUp(backlogBytes / LIMITS.queueMaxBacklogBytes.value),
  };
  const largest = (Object.keys(demand) as (keyof typeof demand)[]).reduce((a, b) =>
    demand[b] > demand[a] ? b : a,
  );
  const partitions = Math.max(1, Math.ceil(demand[largest]));
  const partitionsBoundBy = demand[largest] >= 1 ? largest : "minimum";
  // Full concurrency on every partition, less what keeps up with the new messages, eats the backlog.
  const capacityPerS =
    batchMs > 0
      ? (partitions * LIMITS.queueMaxConcurrency.value * spec.batchSize * 1000) / batchMs
      : Number.POSITIVE_INFINITY;
  const spare = capacityPerS - messagesPerS;
  const drainS = backlogMessages === 0 ? 0 : spare > 0 ? backlogMessages / spare : null;
  const retentionS = Math.max(LIMITS.queueRetentionMinS.value, Math.ceil(recoveryS));
  return {
    consumer: spec.name,
    queue: spec.queue,
    messagesPerS,
    messageBytes,
    batchSize: spec.batchSize,
    batchesPerS,
    handlingMs: spec.handlingMs,
    handlingSource: spec.handlingSource,
    concurrency,
    partitions,
    partitionsBoundBy,
    concurrencyPerPartition: Math.ceil(concurrency / partitions),
    backlogMessages,
    backlogBytes,
    drainS,
    retentionS,
    retention:
      retentionS <= LIMITS.queueRetentionDefaultS.value
        ? "default"
        : retentionS <= LIMITS.queueRetentionMaxS.value
          ? "set"
          : "over-maximum",
  };
}

/**
 * Floating-point noise (500 x 0.3 = 150.00000000000003) must not cost a whole partition or invocation:
 * rates are rounded to a millionth before any ceiling.
 */
const roundUp = (x: number) => Math.round(x * 1e6) / 1e6;

/** Every queue's plan; the order of `specs` is kept. */
export const planQueues = (specs: readonly ConsumerSpec[], load: FactLoad, recoveryS: number): QueuePlan[] =>
  specs.map((s) => planQueue(s, load, recoveryS));

/**
 * A month of the load's operations as the cost model counts them. Queue operations come from the plan
 * (write, read and delete per message per 64 KB, as Queues bills them); each batch is one Worker
 * request; `perSecond` adds what the queues do not show (the requests that start the work, D1, Durable
 * Object and R2 operations), per second.
 */
export function monthlyUsage(queues: readonly QueuePlan[], perSecond: Partial<Usage>): Usage {
  const u = emptyUsage();
  for (const q of queues) {
    const ops = q.messagesPerS * queueOps(q.messageBytes) * SECONDS_PER_MONTH;
    u.queueMessagesSent += q.messagesPerS * SECONDS_PER_MONTH;
    u.queueWriteOps += ops;
    u.queueReadOps += ops;
    u.queueDeleteOps += ops;
    u.queueBatches += q.batchesPerS * SECONDS_PER_MONTH;
  }
  for (const [field, rate] of Object.entries(perSecond) as [keyof Usage, number][])
    u[field] += rate * SECONDS_PER_MONTH;
  return u;
}

export interface MonthlyCost {
  items: LineItem[];
  /** The unit prices over the whole month, the paid plan's fee on top; its allowances are not deducted. */
  dollars: number;
}

export function monthlyCost(usage: Usage): MonthlyCost {
  const items = costOf(usage);
  return { items, dollars: totalDollars(items) + PAID_PLAN_MONTHLY_DOLLARS };
}

/**
 * D1 databases needed for a write rate: each database is one single-threaded SQLite, so its writes are
 * a ceiling of their own; at least one database even with no load.
 */
export const d1Shards = (rowsWrittenPerS: number, ceilingRowsPerS: number): number =>
  Math.max(1, Math.ceil(roundUp(rowsWrittenPerS / ceilingRowsPerS)));
