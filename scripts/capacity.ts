/**
 * `npm run capacity -- --checkouts-per-s 500 --events-per-s 20000 --recovery-minutes 30`: per queue and
 * consumer, the messages per second, batch size, concurrency, partitions under Cloudflare's per-queue
 * limits, retention for the recovery window, backlog storage, and the monthly bill and D1 shard count
 * for the load. `--json` prints the plan as JSON. The arithmetic is scripts/capacity/plan.ts; what it
 * rests on is docs/CAPACITY.md.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { PRICES_READ_ON } from "../src/platform/costs/prices";
import { LIMITS, LIMITS_READ_ON } from "./capacity/limits";
import { ceilingFromResults } from "./capacity/measured-ceiling";
import { d1Shards, monthlyCost, monthlyUsage, planQueues, type QueuePlan } from "./capacity/plan";
import {
  crossdockConsumers,
  D1_WRITE_CEILING_ROWS_PER_S,
  DEFAULT_LOAD,
  factLoad,
  type Load,
  MEASURED_IN,
  perSecondUsage,
} from "./capacity/workload";

const NUMBER_FLAGS = {
  "checkouts-per-s": "checkoutsPerS",
  "refund-share": "refundShare",
  "signups-per-s": "signupsPerS",
  "events-per-s": "eventsPerS",
  "import-rows-per-s": "importRowsPerS",
  "events-per-message": "eventsPerMessage",
  "rows-per-upload": "rowsPerUpload",
  "recovery-minutes": "recoveryMinutes",
} as const satisfies Record<string, keyof Load>;

const USAGE = `npm run capacity -- [flags]
${Object.entries(NUMBER_FLAGS)
  .map(([flag, key]) => `  --${flag.padEnd(20)} default ${DEFAULT_LOAD[key]}`)
  .join("\n")}
  --d1-write-ceiling     rows written/s one D1 database takes, default ${D1_WRITE_CEILING_ROWS_PER_S}
  --d1-write-ceiling-from file
                         the ceiling a \`npm run bench:d1\` run measured (bench/.results/d1-writes.json)
  --handling-ms name=ms  a consumer's time per message (repeatable)
  --json                 the plan as JSON`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function nonNegative(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n) || n < 0) fail(`--${flag} must be a number ≥ 0, got '${raw}'`);
  return n;
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        ...Object.fromEntries(Object.keys(NUMBER_FLAGS).map((f) => [f, { type: "string" as const }])),
        "d1-write-ceiling": { type: "string" },
        "d1-write-ceiling-from": { type: "string" },
        "handling-ms": { type: "string", multiple: true },
        json: { type: "boolean" },
        help: { type: "boolean" },
      },
    });
  } catch (e) {
    return fail((e as Error).message);
  }
})();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const v = values as Record<string, string | undefined>;
const load = { ...DEFAULT_LOAD };
for (const [flag, key] of Object.entries(NUMBER_FLAGS))
  load[key] = nonNegative(flag, v[flag], DEFAULT_LOAD[key]);
if (!Number.isInteger(load.eventsPerMessage) || load.eventsPerMessage < 1 || load.eventsPerMessage > 500)
  fail("--events-per-message must be a whole number from 1 to 500 (the API packs at most 500 a fact)");
if (load.refundShare > 1) fail("--refund-share is a share of orders, from 0 to 1");
if (load.rowsPerUpload < 1) fail("--rows-per-upload must be at least 1");
if (v["d1-write-ceiling"] !== undefined && v["d1-write-ceiling-from"] !== undefined)
  fail("--d1-write-ceiling and --d1-write-ceiling-from are two answers to one question: give one");
const measured = (() => {
  const path = v["d1-write-ceiling-from"];
  if (path === undefined) return null;
  try {
    return ceilingFromResults(readFileSync(path, "utf8"), path);
  } catch (e) {
    return fail(`--d1-write-ceiling-from: ${(e as Error).message}`);
  }
})();
const ceiling =
  measured?.rowsPerS ?? nonNegative("d1-write-ceiling", v["d1-write-ceiling"], D1_WRITE_CEILING_ROWS_PER_S);
if (ceiling <= 0) fail("--d1-write-ceiling must be more than 0");
const ceilingSource =
  measured?.source ??
  (v["d1-write-ceiling"] === undefined
    ? "Cloudflare's published ~1,000 queries/s at 1 ms, counted as rows/s"
    : "given with --d1-write-ceiling");

const consumers = crossdockConsumers();
const overrides: Record<string, number> = {};
for (const pair of values["handling-ms"] ?? []) {
  const [name, ms] = pair.split("=");
  if (!name || !consumers.some((c) => c.name === name))
    fail(
      `--handling-ms names no consumer: '${pair}' (consumers: ${consumers.map((c) => c.name).join(", ")})`,
    );
  overrides[name] = nonNegative("handling-ms", ms, 0);
}

const queues = planQueues(crossdockConsumers(overrides), factLoad(load), load.recoveryMinutes * 60);
const perSecond = perSecondUsage(load);
const cost = monthlyCost(monthlyUsage(queues, perSecond));
const d1RowsWrittenPerS = perSecond.d1RowsWritten ?? 0;
const plan = {
  load,
  limitsReadOn: LIMITS_READ_ON,
  pricesReadOn: PRICES_READ_ON,
  perUnitOperationsFrom: MEASURED_IN,
  queues,
  totals: {
    messagesPerS: queues.reduce((s, q) => s + q.messagesPerS, 0),
    queues: queues.reduce((s, q) => s + q.partitions, 0),
    backlogBytes: queues.reduce((s, q) => s + q.backlogBytes, 0),
  },
  d1: {
    rowsWrittenPerS: d1RowsWrittenPerS,
    ceilingRowsPerS: ceiling,
    ceilingSource,
    shards: d1Shards(d1RowsWrittenPerS, ceiling),
  },
  monthlyCost: cost,
};

if (values.json) {
  console.log(JSON.stringify(plan, null, 2));
  process.exit(0);
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const num = (n: number) => (n >= 100 ? int(n) : n.toLocaleString("en-US", { maximumSignificantDigits: 3 }));
const bytes = (n: number) =>
  n >= 1e9
    ? `${num(n / 1e9)} GB`
    : n >= 1e6
      ? `${num(n / 1e6)} MB`
      : n >= 1e3
        ? `${num(n / 1e3)} kB`
        : `${int(n)} B`;
const duration = (s: number | null) =>
  s === null
    ? "never"
    : s >= 86_400
      ? `${num(s / 86_400)} d`
      : s >= 3600
        ? `${num(s / 3600)} h`
        : s >= 60
          ? `${num(s / 60)} min`
          : `${num(s)} s`;
const retention = (q: QueuePlan) =>
  q.retention === "default"
    ? "default 4 d"
    : q.retention === "set"
      ? `set ${int(q.retentionS)} s`
      : "over 14 d!";

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

console.log(
  `Load: ${num(load.checkoutsPerS)} checkouts/s, ${num(load.signupsPerS)} sign-ups/s, ${num(load.eventsPerS)} events/s ` +
    `(${load.eventsPerMessage} a message), ${num(load.importRowsPerS)} import rows/s; recovery window ${num(load.recoveryMinutes)} min.\n` +
    `Limits read ${LIMITS_READ_ON}: ${int(LIMITS.queueMessagesPerS.value)} msgs/s and ${LIMITS.queueMaxConcurrency.value} consumer invocations per queue, ` +
    `batches ≤ ${LIMITS.queueMaxBatchSize.value}, retention ≤ 14 d (default 4 d), backlog ≤ 25 GB per queue. Prices read ${PRICES_READ_ON}.\n`,
);
console.log(
  table(
    [
      "consumer",
      "msgs/s",
      "msg size",
      "batch",
      "ms/msg",
      "concurrency",
      "partitions",
      "max_concurrency",
      "retention",
      "backlog",
      "backlog size",
      "drain",
    ],
    queues.map((q) => [
      q.consumer,
      num(q.messagesPerS),
      bytes(q.messageBytes),
      String(q.batchSize),
      num(q.handlingMs),
      int(q.concurrency),
      `${q.partitions} (${q.partitionsBoundBy})`,
      int(q.concurrencyPerPartition),
      retention(q),
      int(q.backlogMessages),
      bytes(q.backlogBytes),
      duration(q.drainS),
    ]),
  ),
);
const bySource = new Map<string, string[]>();
for (const q of queues)
  bySource.set(q.handlingSource, [...(bySource.get(q.handlingSource) ?? []), q.consumer]);
console.log(
  `\nTime per message:\n${[...bySource].map(([source, names]) => `  ${source}: ${names.join(", ")}`).join("\n")}`,
);
console.log(
  `\nTotal: ${int(plan.totals.messagesPerS)} msgs/s over ${plan.totals.queues} queues; ${bytes(plan.totals.backlogBytes)} of backlog after ${num(load.recoveryMinutes)} min.`,
);
console.log(
  `D1: ${int(d1RowsWrittenPerS)} rows written/s (per-unit rows from ${MEASURED_IN}) ÷ ${int(ceiling)} rows/s a database (${ceilingSource}) → ${plan.d1.shards} shard(s).`,
);
console.log(
  `\nMonthly cost (30 days at unit prices, paid plan's $5 on top, allowances not deducted, CPU not included): $${int(cost.dollars)}`,
);
console.log(
  table(
    ["line item", "quantity", "$"],
    cost.items
      .filter((i) => i.dollars > 0)
      .map((i) => [i.item, `${num(i.quantity)} ${i.unit}`, int(i.dollars)]),
  ),
);
