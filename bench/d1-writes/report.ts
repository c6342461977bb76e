/**
 * The "D1 write ceiling" section of docs/BENCHMARKS.md: figures, method, caveats and how to run, all
 * written by the run (bench/d1-writes.ts) so nothing in the section goes stale by hand.
 */
import { lineSpec, writeChart } from "../lib/charts";
import type { RatioEstimate } from "../lib/intervals";
import type { LoadJudgement } from "../lib/load-guard";
import type { MachineFacts } from "../lib/machine";
import { f0, f1, table, timesWithInterval } from "../lib/markdown";
import { OPERATION } from "./flows";
import { type FlowSummary, KNEE_SHARE, type MeasuredCeiling, PUBLISHED_ROWS_PER_S } from "./knee";

export interface D1WritesReport {
  config: { rounds: number; windowMs: number; lanes: number[]; consumerBatch: number; smoke: boolean };
  machine: MachineFacts;
  judgement: LoadJudgement;
  ceiling: MeasuredCeiling;
  flows: FlowSummary[];
}

const rate = (e: RatioEstimate) =>
  e.interval === null ? f0(e.ratio) : `${f0(e.ratio)} [${f0(e.interval.low)}, ${f0(e.interval.high)}]`;

const WHAT: Record<FlowSummary["flow"], string> = {
  checkout:
    "`POST /v1/orders`' batch: `orders` row + `request_records` + `outbox` (`newOrder`, `outboxStatements`)",
  analytics:
    "analytics consumer over a full batch (`runConsumer` + `countEventsStatements`): event ids, daily counters, `processed_events`, then `consumer_attempts`",
  bookkeeping:
    "`runConsumer` over a full batch with an effect-free handler: `processed_events` + `consumer_attempts` per delivery",
};

export async function d1WritesSection(docsDir: string, r: D1WritesReport): Promise<string> {
  const { config, machine, judgement, ceiling, flows } = r;
  // A smoke run leaves docs/ alone, its chart included.
  const chart = config.smoke
    ? "(No chart on a smoke run.)"
    : await writeChart(
        docsDir,
        "d1-writes",
        lineSpec({
          title: "D1 rows written/s against writes in flight (local workerd)",
          xAxis: "writers in flight",
          yAxis: "rows written/s (median of rounds)",
          log: false,
          points: flows.flatMap((f) =>
            f.levels.map((l) => ({ x: l.lanes, y: l.medianRowsPerS, series: f.flow })),
          ),
        }),
        "D1 rows written per second at rising concurrency, one line per flow",
      );
  const levels = table(
    [
      ["flow"],
      ["in flight", "right"],
      ["rows/s", "right"],
      ["batches/s", "right"],
      ["batch p50 ms", "right"],
    ],
    flows.flatMap((f) =>
      f.levels.map((l) => [
        f.flow,
        l.lanes === f.kneeLanes ? `**${l.lanes}** (knee)` : String(l.lanes),
        f0(l.medianRowsPerS),
        f0(l.medianBatchesPerS),
        f1(l.medianBatchMs),
      ]),
    ),
  );
  const knees = table(
    [
      ["flow"],
      ["what one call writes"],
      ["knee", "right"],
      ["batches/s", "right"],
      ["statements/s", "right"],
      ["rows/s", "right"],
      ["business ops/s", "right"],
      ["rows per op", "right"],
      ["rows per batch", "right"],
      ["÷ 1,000 published", "right"],
    ],
    flows.map((f) => [
      f.flow,
      WHAT[f.flow],
      String(f.kneeLanes),
      rate(f.batchesPerS),
      rate(f.statementsPerS),
      rate(f.rowsPerS),
      rate(f.operationsPerS),
      `${f.rowsPerOperation.toFixed(2)} per ${OPERATION[f.flow].name}`,
      f1(f.rowsPerBatch),
      timesWithInterval(f.vsPublished),
    ]),
  );
  return `## D1 write ceiling (\`npm run bench:d1\`)

Commit ${machine.gitCommit}, ${machine.date.slice(0, 10)}; ${machine.nproc} CPUs (${machine.cpuModel}), workerd ${machine.workerd},
miniflare ${machine.miniflare}. ${judgement.summary}${config.smoke ? " **Smoke run: too short to quote.**" : ""}

**Ceiling: ${f0(ceiling.rowsPerS)} rows written/s per database** (${ceiling.basis}), against Cloudflare's published
~${f0(PUBLISHED_ROWS_PER_S)} queries/s, which \`npm run capacity\` counts as ${f0(PUBLISHED_ROWS_PER_S)} rows/s by default.
\`npm run capacity -- --d1-write-ceiling-from bench/.results/d1-writes.json\` uses this figure instead.

${knees}

Figures at the knee are the geometric mean of ${config.rounds} rounds with its 95% interval (Student's t on the
logs, bench/lib/intervals.ts); "÷ 1,000 published" is rows/s over Cloudflare's figure, per round. The knee is the
fewest writers in flight whose median rows/s reaches ${KNEE_SHARE * 100}% of the best level's: beyond it more
concurrency only queues in front of the one writer. Rows are D1's own count (\`meta.rows_written\` of every committed
batch), so index entries and upserts count as the database counts (and bills) them, and as \`npm run capacity\`
counts the load's rows (src/platform/costs/metered-d1.ts reads the same field); one analytics message carries one client
event, as capacity's default load does, and a consumer call is a full batch of ${config.consumerBatch} messages (the
analytics queue's \`max_batch_size\`). Statements/s is the number Cloudflare's ~1,000 queries/s speaks of;
each of Crossdock's statements writes several rows (multi-row inserts, and an entry per index), which is why
rows/s and statements/s part ways.

${chart}

${levels}

**What this is not.** This is the local SQLite behind Miniflare's D1 on this machine, not D1's production service:
production adds a network hop per batch, replication and its own scheduling, so the local figure is an upper bound
for what one database's SQLite engine takes, not a promise of the service. The machine is shared with other engineers'
tests and benchmarks, so the intervals include their noise; compare flows within one run, not across runs. Here the
worker that builds the statements, the D1 simulator and SQLite share the same few CPUs (and those CPUs with other
work), so a batch's local time is partly CPU contention: the batch p50 at one writer is the closest this run gets to
the engine's own service time. The
tables grow during the run (every window adds rows), which slows later windows a little; the rotating order spreads
that over the flows.

**Method.** A bench worker (bench/d1-writes/worker.ts) imports the production statement builders
(bench/d1-writes/flows.ts): the checkout handler's \`newOrder\` + \`outboxStatements\` batch, and the consumer
runtime's \`runConsumer\` with the analytics consumer and with an effect-free consumer. The loops run inside the worker
rather than as HTTP requests from Node, so the load generator is not what saturates first; the routes' reads, auth
and queue deliveries are left out because the ceiling is about the database. Each level runs every flow for
${f0(config.windowMs)} ms, in an order that rotates per level and round; levels: ${config.lanes.join(", ")} writers.

**How to run.** \`npm run bench:d1\` (about ${f0((config.rounds * config.lanes.length * 3 * config.windowMs) / 60_000 + 1)}
min); \`npm run bench:d1 -- --smoke\` in under a minute (never writes this file). BENCH_D1_ROUNDS, BENCH_D1_WINDOW_MS
and BENCH_D1_LANES (e.g. \`1,4,16,64\`) override the defaults; BENCH_ALLOW_LOAD=1 publishes a busy run.`;
}
