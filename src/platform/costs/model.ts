import { DO_BILLED_GB, LOG_RETENTION_DAYS, PRICES, type PriceName, QUEUE_OPERATION_BYTES } from "./prices";

/**
 * The billable operations Crossdock performed, as the runtime counters (`meter.ts`) count them. Queue
 * operations are in 64 KB units; `*Ops` fields are what Queues bills, the message counts are context.
 */
export interface Usage {
  /** Facts committed to the outbox (the denominator of "per 1M facts"). */
  facts: number;
  fetches: number;
  queueBatches: number;
  crons: number;
  /** Wall time of the worker's own invocations (CPU time is not observable inside a Worker). */
  workerWallMs: number;
  d1Queries: number;
  d1RowsRead: number;
  d1RowsWritten: number;
  /** Queries whose result carried no `meta` (their rows are not in the two counts above). */
  d1QueriesWithoutMeta: number;
  queueMessagesSent: number;
  queueWriteOps: number;
  queueDeliveries: number;
  queueReadOps: number;
  queueAcks: number;
  queueDeleteOps: number;
  queueRetries: number;
  doRequests: number;
  doWallMs: number;
  doSqlRowsRead: number;
  doSqlRowsWritten: number;
  r2ClassA: number;
  r2ClassB: number;
  /** Structured log lines written (src/platform/observability/logger.ts), and their size in bytes. */
  logLines: number;
  logBytes: number;
}

export type UsageField = keyof Usage;

export const USAGE_FIELDS = [
  "facts",
  "fetches",
  "queueBatches",
  "crons",
  "workerWallMs",
  "d1Queries",
  "d1RowsRead",
  "d1RowsWritten",
  "d1QueriesWithoutMeta",
  "queueMessagesSent",
  "queueWriteOps",
  "queueDeliveries",
  "queueReadOps",
  "queueAcks",
  "queueDeleteOps",
  "queueRetries",
  "doRequests",
  "doWallMs",
  "doSqlRowsRead",
  "doSqlRowsWritten",
  "r2ClassA",
  "r2ClassB",
  "logLines",
  "logBytes",
] as const satisfies readonly UsageField[];

export const emptyUsage = (): Usage =>
  Object.fromEntries(USAGE_FIELDS.map((f) => [f, 0])) as unknown as Usage;

export function addUsage(into: Usage, more: Usage): Usage {
  for (const f of USAGE_FIELDS) into[f] += more[f];
  return into;
}

/** One line of a bill: how many units, at what price, for how many dollars. */
export interface LineItem {
  item: PriceName;
  quantity: number;
  unit: string;
  dollarsPerMillion: number;
  dollars: number;
}

const line = (item: PriceName, quantity: number): LineItem => {
  const p = PRICES[item];
  return {
    item,
    quantity,
    unit: p.unit,
    dollarsPerMillion: (p.dollars / p.per) * 1_000_000,
    dollars: (quantity * p.dollars) / p.per,
  };
};

/**
 * What `usage` costs at the unit prices, per line item, ignoring the paid plan's allowances (a cost per
 * fact must not depend on the rest of the month). `cpuMs` comes from outside: a Worker cannot read its
 * own CPU time, so the bench passes workerd's and `/ops/costs` passes none (the line is then 0).
 *
 * @example
 * const items = costOf({ ...emptyUsage(), fetches: 1, d1RowsWritten: 3 });
 * totalDollars(items); // 0.0000003 + 0.000003
 */
export function costOf(usage: Usage, cpuMs = 0): LineItem[] {
  return [
    line("workerRequest", usage.fetches + usage.queueBatches + usage.crons),
    line("workerCpuMs", cpuMs),
    line("queueOperation", usage.queueWriteOps + usage.queueReadOps + usage.queueDeleteOps),
    line("d1RowRead", usage.d1RowsRead),
    line("d1RowWritten", usage.d1RowsWritten),
    line("doRequest", usage.doRequests),
    line("doDurationGbS", (usage.doWallMs / 1000) * DO_BILLED_GB),
    line("doSqlRowRead", usage.doSqlRowsRead),
    line("doSqlRowWritten", usage.doSqlRowsWritten),
    line("r2ClassA", usage.r2ClassA),
    line("r2ClassB", usage.r2ClassB),
    line("logIngestGb", usage.logBytes / 1e9),
    line("logStorageGbMonth", (usage.logBytes / 1e9) * (LOG_RETENTION_DAYS / 30)),
  ];
}

export const totalDollars = (items: readonly LineItem[]) => items.reduce((s, i) => s + i.dollars, 0);

/** Dollars per 1M of `count`; null when nothing was counted (no ratio to speak of). */
export const perMillion = (dollars: number, count: number): number | null =>
  count > 0 ? (dollars / count) * 1_000_000 : null;

/** How many 64 KB operations one write, read or delete of a message of `bytes` is. */
export const queueOps = (bytes: number) => Math.max(1, Math.ceil(bytes / QUEUE_OPERATION_BYTES));

/**
 * The platform's floor for delivering one fact of `bytes` to `subscribers` queues: one write, one read
 * and one delete per subscriber, nothing else (no Worker request, no storage).
 */
export function minimumDeliveryDollars(subscribers: number, bytes: number): number {
  const p = PRICES.queueOperation;
  return (3 * subscribers * queueOps(bytes) * p.dollars) / p.per;
}

/** A saga run on Cloudflare Workflows: one instance per order, its steps' results kept as state. */
export interface WorkflowSaga {
  instances: number;
  stepsPerInstance: number;
  /** Bytes each step's returned state adds to the instance's stored state. */
  stateBytesPerStep: number;
  /** How long an instance's state is kept after it ends, in days (Workflows' retention). */
  retentionDays: number;
  cpuMs: number;
}

/**
 * What the saga would cost on Workflows' pricing: an invocation per instance, CPU, and the step state
 * stored for the retention period (GB-month = GB x days / 30). Workflows charges no fee per step; its
 * steps show up as stored state and CPU.
 */
export function workflowSagaCost(w: WorkflowSaga): LineItem[] {
  const gb = (w.instances * w.stepsPerInstance * w.stateBytesPerStep) / 1e9;
  return [
    line("workflowRequest", w.instances),
    line("workflowCpuMs", w.cpuMs),
    line("workflowStorageGbMonth", gb * (w.retentionDays / 30)),
  ];
}
