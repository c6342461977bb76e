/** The `chain` section of docs/BENCHMARKS.md: what bench/chain.ts measured, its method and caveats. */
import { lineSpec, writeChart } from "../lib/charts";
import {
  capVerdict,
  pairedRatioEstimate,
  type RatioEstimate,
  type RatioTarget,
  type Verdict,
  verdictOf,
} from "../lib/intervals";
import type { LoadJudgement } from "../lib/load-guard";
import type { MachineFacts } from "../lib/machine";
import { f0, f1, table } from "../lib/markdown";
import { median, ratio } from "../lib/stats";
import { type Fragility, moneyConsistent } from "./fragility";
import { PATHS, type Path, type RunResult } from "./runs";

export interface PathSummary {
  /** Medians over the rounds. */
  p50Ms: number;
  p99Ms: number;
  placementsPerSec: number;
  /** Orders that reached a terminal status per second, over the whole run. */
  donePerSec: number;
  toDoneP99Ms: number;
  cpuSeconds: number | null;
  /** Peak RSS above the run's starting RSS, MiB. */
  heldRssMiB: number | null;
  peakRssMiB: number | null;
  /** Summed over the rounds. */
  failedTotal: number;
  timeoutsTotal: number;
  /** Orders not terminal when the run stopped waiting, summed over the rounds. */
  notDoneTotal: number;
  requestsTotal: number;
}

export interface LevelSummary {
  buyers: number;
  chain: PathSummary;
  saga: PathSummary;
  /** saga placement p99 ÷ chain placement p99, paired per round. */
  p99Ratio: RatioEstimate;
  verdict: Verdict;
}

const medianOrNull = (values: (number | null)[]) =>
  values.some((v) => v === null) ? null : median(values as number[]);

function summarisePath(runs: RunResult[]): PathSummary {
  return {
    p50Ms: median(runs.map((r) => r.placement.p50)),
    p99Ms: median(runs.map((r) => r.placement.p99)),
    placementsPerSec: median(runs.map((r) => r.placementsPerSec)),
    donePerSec: median(runs.map((r) => (r.toDone.count / r.doneWallMs) * 1000)),
    toDoneP99Ms: median(runs.map((r) => r.toDone.p99)),
    cpuSeconds: medianOrNull(runs.map((r) => r.workerd.cpuSeconds)),
    heldRssMiB: medianOrNull(
      runs.map((r) =>
        r.workerd.peakRssMiB === null || r.workerd.startRssMiB === null
          ? null
          : r.workerd.peakRssMiB - r.workerd.startRssMiB,
      ),
    ),
    peakRssMiB: medianOrNull(runs.map((r) => r.workerd.peakRssMiB)),
    failedTotal: runs.reduce((n, r) => n + r.failed, 0),
    timeoutsTotal: runs.reduce((n, r) => n + r.timeouts, 0),
    notDoneTotal: runs.reduce(
      (n, r) =>
        n +
        Object.entries(r.outcomes)
          .filter(([k]) => k === "missing" || k.endsWith("(not terminal)"))
          .reduce((m, [, v]) => m + v, 0),
      0,
    ),
    requestsTotal: runs.reduce((n, r) => n + r.buyers, 0),
  };
}

/** Per level: both paths' medians over the rounds and the paired p99 ratio with its interval. */
export function summariseLevels(
  runs: RunResult[],
  levels: readonly number[],
  target: RatioTarget,
  busy: boolean,
): LevelSummary[] {
  return levels.map((buyers) => {
    const of = (path: Path) => runs.filter((r) => r.buyers === buyers && r.path === path);
    const rounds = [...new Set(of("saga").map((r) => r.round))];
    const p99Ratio = pairedRatioEstimate(
      rounds.map((round) =>
        ratio(
          of("saga").find((r) => r.round === round)?.placement.p99 ?? Number.NaN,
          of("chain").find((r) => r.round === round)?.placement.p99 ?? Number.NaN,
        ),
      ),
    );
    return {
      buyers,
      chain: summarisePath(of("chain")),
      saga: summarisePath(of("saga")),
      p99Ratio,
      verdict: capVerdict(verdictOf(p99Ratio.interval, target), busy),
    };
  });
}

const ratioText = (e: RatioEstimate) =>
  `${e.ratio.toFixed(4)}${e.interval ? ` [${e.interval.low.toFixed(4)}, ${e.interval.high.toFixed(4)}]` : " [no interval]"}`;
const orNa = (n: number | null, format = f1) => (n === null ? "n/a" : format(n));
const LABEL: Record<Path, string> = { chain: "request chain", saga: "202 + saga" };

export interface ChainReport {
  config: {
    levels: number[];
    rounds: number;
    faultBuyers: number;
    clientTimeoutSec: number;
    doneTimeoutSec: number;
    sandboxSlowMs: number;
    paymentMethod: string;
    faultRate: number;
    warmupBuyers: number;
  };
  machine: MachineFacts;
  judgement: LoadJudgement;
  levels: LevelSummary[];
  fragility: Fragility[];
  faultInjected: number | null;
}

export async function chainSection(docsDir: string, r: ChainReport): Promise<string> {
  const { config: c, machine: m, levels } = r;
  const top = levels.at(-1)!;
  const chart = await writeChart(
    docsDir,
    "chain-p99",
    lineSpec({
      title: "Placement p99 vs concurrent buyers (1 s payment authorization)",
      xAxis: "concurrent buyers",
      yAxis: "placement p99, ms (log)",
      log: true,
      points: levels.flatMap((l) =>
        PATHS.map((p) => ({ x: l.buyers, y: Math.max(1, l[p].p99Ms), series: LABEL[p] })),
      ),
    }),
    "Placement p99 of the request chain and of the 202 + saga, by number of concurrent buyers, log scale",
  );
  const rows = levels.flatMap((l) =>
    PATHS.map((p) => {
      const s = l[p];
      return [
        f0(l.buyers),
        LABEL[p],
        `${s.timeoutsTotal > 0 ? "≥ " : ""}${f0(s.p50Ms)}`,
        `${s.timeoutsTotal > 0 ? "≥ " : ""}${f0(s.p99Ms)}`,
        f0(s.placementsPerSec),
        f1(s.donePerSec),
        `${s.failedTotal}/${s.requestsTotal}`,
        String(s.timeoutsTotal),
        f0(s.toDoneP99Ms),
        String(s.notDoneTotal),
        orNa(s.cpuSeconds),
        orNa(s.peakRssMiB, f0),
        orNa(s.heldRssMiB, f0),
      ];
    }),
  );
  const ratios = levels.map((l) => [f0(l.buyers), ratioText(l.p99Ratio), l.verdict]);
  const fragRows = r.fragility.map((f) => [
    LABEL[f.path],
    `${f.failedRequests}/${f.buyers}`,
    Object.entries(f.failureCauses)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ") || "none",
    String(f.confirmed),
    String(f.cancelled),
    String(f.notTerminal),
    `${f.retried} (${f.retriedThenConfirmed} confirmed)`,
    String(f.compensated),
    Object.entries(f.cancelReasons)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ") || "none",
    `${f.chargedTwice} / ${f.chargedNotConfirmed} / ${f.heldNotConfirmed} / ${f.confirmedNotCharged}`,
    moneyConsistent(f) ? "yes" : "no",
  ]);
  const goalMet = top.verdict === "met" && top.saga.failedTotal === 0;
  return `## Request chain vs 202 + saga (\`npm run bench:chain\`)

Run ${m.date} on ${m.cpuModel} (${m.nproc} CPUs), ${m.os}, Node ${m.node}, workerd ${m.workerd}, miniflare
${m.miniflare}, commit ${m.gitCommit}. ${r.judgement.summary}

**Goal** (issue 13): at ${f0(top.buyers)} buyers the 202's placement p99 at most 1/20 of the chain's, with 0
failed placements. Saga ÷ chain p99: **${ratioText(top.p99Ratio)}** (${top.p99Ratio.rounds} rounds) against
≤ 0.05: **${top.verdict}**; failed placements (202 + saga): **${top.saga.failedTotal}**. Overall: **${goalMet ? "met" : "not met"}**.

${chart}

${table(
  [
    ["Buyers", "right"],
    ["Path"],
    ["Placement p50 ms", "right"],
    ["Placement p99 ms", "right"],
    ["Answers/s", "right"],
    ["Done/s", "right"],
    ["Failed", "right"],
    ["Client timeouts", "right"],
    ["To done p99 ms", "right"],
    ["Not done", "right"],
    ["workerd CPU s", "right"],
    ["Peak RSS MiB", "right"],
    ["RSS held MiB", "right"],
  ],
  rows,
)}

${table([["Buyers", "right"], ["Saga p99 ÷ chain p99 [95% interval]"], ["≤ 0.05"]], ratios)}

**Fragility**: the payment provider fails ${c.faultRate * 100}% of its calls (a \`provider-outage\` fault, \`mode:
fail\`, \`rate: ${c.faultRate}\`, struck ${r.faultInjected ?? "?"} calls in all); ${f0(c.faultBuyers)} buyers per path, once.

${table(
  [
    ["Path"],
    ["Failed requests", "right"],
    ["Why they failed"],
    ["Confirmed", "right"],
    ["Cancelled", "right"],
    ["Not terminal", "right"],
    ["Retried", "right"],
    ["Compensated", "right"],
    ["Cancel reasons"],
    ["Charged twice / charged not confirmed / held not confirmed / confirmed not charged"],
    ["Money consistent"],
  ],
  fragRows,
)}

**Method.** One bundle (\`bench/chain-worker\`: crossdock's own worker export, plus \`POST /chain/orders\`)
runs in one Miniflare with every binding from wrangler.toml, so both paths share the code, the D1
database, the queues, the Durable Objects and the payment sandbox. \`POST /chain/orders\` takes the same
body as \`POST /v1/orders\` and does, before answering, what the saga does after the 202, with
crossdock's own functions: quote check, order row, reserve inventory, authorize and capture through
\`gatewayFor(env)\`, confirm; on a failure it undoes in reverse (void, release) and answers 402/409/502/504;
it never retries. Every order pays with \`${c.paymentMethod}\`: the sandbox answers its authorization after
SANDBOX_SLOW_MS = ${c.sandboxSlowMs}. For each of ${c.rounds} rounds and each level (${c.levels.join(", ")} buyers) both
paths run, alternating which goes first; each buyer sends one order, all requests sent before any answer
is awaited (Node's fetch, client timeout ${c.clientTimeoutSec} s). Placement is request start to answer (the 202, or
the chain's 201 or error). A run ends when every order is done — answered, for the chain; terminal in D1
(confirmed and captured, or cancelled), for the saga, polled every 500 ms; for the chain, orders left
unfinished by a request cut off are waited for until they stop changing for 10 s — and "to done" is the row's
\`updated_at\` minus the request's start. workerd CPU seconds (user + system, /proc) and peak RSS (sampled
every 50 ms) cover that whole window; "RSS held" is the peak above the RSS when the run began. Between
runs the harness waits until workerd is idle (at most 2 minutes), so projections and emails of one run do
not land on the next; "not done" counts orders still not terminal when a run stopped waiting
(${c.doneTimeoutSec} s), whose work then overlaps the next run. ${c.warmupBuyers} orders per path run first as a warm-up, unmeasured. The ratio's interval is Student's t on the
logarithms of the per-round ratios (bench/lib/intervals.ts); "met" only when the whole interval clears
0.05. The fragility runs use a second Miniflare with FAULTS_ENABLED; "retried" counts orders with a step
that needed more than one attempt, "compensated" those that ran an undo (the chain writes no steps, so
its undos show only in the money columns); the money columns come from the payment sandbox's ledger.

**Caveats.**

- Everything runs on one machine: the load generator, workerd and local D1 share its CPUs. Local D1,
  queues and Durable Objects have none of production's network latency or limits, and one workerd
  process serves every request, where production spreads them over isolates and machines.
- The chain's latency is the provider's 1 s plus what waiting for it costs: with ${f0(top.buyers)} requests held
  open at once, each holds its socket, its request and its stack in workerd until the payment answers.
- A saga's "to done" includes its queue hop and Durable Object alarms; its CPU covers the same work as
  the chain's plus the outbox, the queue consumers and the projections (a 202's buyer sees those later).
- A request the client gave up on (${c.clientTimeoutSec} s) counts in the percentiles at the time it gave up: where
  there were client timeouts, the chain's percentiles are lower bounds ("≥"), and saga ÷ chain an upper bound.
- ${c.rounds} rounds per level: with few rounds the 95% interval is wide (Student's t on ${c.rounds - 1} degrees
  of freedom), and the verdict is only as strong as the interval.

**How to run.** \`npm run bench:chain\` (about ${Math.ceil((c.rounds * c.levels.length * 2 * 15 + 120) / 60)} minutes); a short run:
\`BENCH_CHAIN_BUYERS=50,100 BENCH_CHAIN_ROUNDS=2 BENCH_CHAIN_FAULT_BUYERS=100 BENCH_ALLOW_LOAD=1 npm run bench:chain\`.
Raw results: \`bench/.results/chain.json\`.`;
}
