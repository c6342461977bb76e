import type { BenchConfig } from "./config";
import type { MachineFacts } from "./machine";
import { f0, f1, micros, table, times } from "./markdown";
import { RATIO_TARGETS, type ScenarioResult, type ScenarioSummary, summarise } from "./results";

const { throughputRatioMin, p99RatioMax } = RATIO_TARGETS;
const verdict = (ok: boolean, clean: boolean) => (clean ? (ok ? "yes" : "**no**") : "invalid run");

/** The summary printed at the end of a run. */
export function consoleTable(results: ScenarioResult[]): string {
  return table(
    [
      ["scenario"],
      ["crossdock req/s", "right"],
      ["bare req/s", "right"],
      ["ratio", "right"],
      ["crossdock p50", "right"],
      ["bare p50", "right"],
      ["crossdock p99", "right"],
      ["bare p99", "right"],
      ["ratio", "right"],
    ],
    results.map((r) => {
      const s = summarise(r);
      const { crossdock: c, bare: b } = s.median;
      return [
        r.name,
        f0(c.requestsPerSec),
        f0(b.requestsPerSec),
        times(s.ratios.throughput),
        `${f1(c.p50Ms)} ms`,
        `${f1(b.p50Ms)} ms`,
        `${f1(c.p99Ms)} ms`,
        `${f1(b.p99Ms)} ms`,
        times(s.ratios.p99),
      ];
    }),
  );
}

function scenarioSection(r: ScenarioResult, s: ScenarioSummary): string {
  const { crossdock: c, bare: b } = s.median;
  const cpuRatio = (c.cpuUsPerRequest ?? Number.NaN) / (b.cpuUsPerRequest ?? Number.NaN);
  const medians = table(
    [
      [""],
      ["crossdock", "right"],
      ["bare worker", "right"],
      ["crossdock ÷ bare", "right"],
      ["target"],
      ["met"],
    ],
    [
      [
        "throughput (req/s)",
        f0(c.requestsPerSec),
        f0(b.requestsPerSec),
        times(s.ratios.throughput),
        `≥ ${throughputRatioMin}×`,
        verdict(s.met.throughput, s.clean),
      ],
      ["latency p50", `${f1(c.p50Ms)} ms`, `${f1(b.p50Ms)} ms`, times(s.ratios.p50), "", ""],
      [
        "latency p99",
        `${f1(c.p99Ms)} ms`,
        `${f1(b.p99Ms)} ms`,
        times(s.ratios.p99),
        `≤ ${p99RatioMax}×`,
        verdict(s.met.p99, s.clean),
      ],
      [
        "workerd CPU per request",
        micros(c.cpuUsPerRequest),
        micros(b.cpuUsPerRequest),
        times(cpuRatio),
        "",
        "",
      ],
    ],
  );
  const failures = (run: { non2xx: number; errors: number; timeouts: number }) =>
    `${run.non2xx}/${run.errors}/${run.timeouts}`;
  const perRound = table(
    [
      ["round", "right"],
      ["order"],
      ["crossdock req/s", "right"],
      ["p50", "right"],
      ["p99", "right"],
      ["bare req/s", "right"],
      ["p50", "right"],
      ["p99", "right"],
      ["req/s ratio", "right"],
      ["p99 ratio", "right"],
      ["load avg (1 min) after crossdock / bare"],
      ["non-2xx / errors / timeouts"],
    ],
    r.rounds.map(({ round, order, runs: { crossdock: rc, bare: rb } }) => [
      String(round),
      order.join(" → "),
      f0(rc.requestsPerSec),
      f1(rc.p50Ms),
      f1(rc.p99Ms),
      f0(rb.requestsPerSec),
      f1(rb.p50Ms),
      f1(rb.p99Ms),
      times(rc.requestsPerSec / rb.requestsPerSec),
      times(rc.p99Ms / rb.p99Ms),
      `${rc.loadAverage1m} / ${rb.loadAverage1m}`,
      `crossdock ${failures(rc)}, bare ${failures(rb)}`,
    ]),
  );
  return `### ${r.name}

${r.summary}. ${r.distinctRequests} distinct request(s), cycled identically against both workers.

${medians}

Median of the per-round ratios: throughput ${times(s.pairedRatios.throughput)}, p99 ${times(s.pairedRatios.p99)}.

Per round (the medians above are over these; latencies in ms):

${perRound}`;
}

export interface ReportInput {
  config: BenchConfig;
  machine: MachineFacts;
  results: ScenarioResult[];
  /** Products seeded, when a scenario used the catalog. */
  catalogSize: number | null;
  /** Log lines the workers wrote during the run, by level. */
  logCounts: Record<string, number>;
}

/** A warning for the top of the report when other work on the machine was loud enough to matter. */
function noiseWarning({ machine, results }: ReportInput): string {
  const runs = results.flatMap((r) => r.rounds.flatMap((round) => [round.runs.crossdock, round.runs.bare]));
  const peak = Math.max(machine.loadAverage[0] ?? 0, ...runs.map((run) => run.loadAverage1m));
  // The benchmark itself keeps about two threads busy (autocannon and workerd); more than that is other work.
  if (peak <= machine.nproc + 1) return "";
  return `> **Noisy run.** The machine's 1-minute load average reached ${peak} on ${machine.nproc} cores during
> this run, of which the benchmark itself accounts for about 2: other work competed for the CPU, and
> run-to-run differences below are mostly that noise. Rerun on a quiet machine before drawing conclusions
> from the ratios; workerd CPU per request is the least affected figure.

`;
}

export function markdownReport(input: ReportInput): string {
  const { config, machine, results, catalogSize, logCounts } = input;
  const summaries = results.map((r) => ({ r, s: summarise(r) }));
  const overview = table(
    [
      ["scenario"],
      ["crossdock req/s", "right"],
      ["bare req/s", "right"],
      [`throughput ratio (≥ ${throughputRatioMin}×)`],
      ["p50 crossdock / bare"],
      ["p99 crossdock / bare"],
      [`p99 ratio (≤ ${p99RatioMax}×)`],
    ],
    summaries.map(({ r, s }) => [
      r.name,
      f0(s.median.crossdock.requestsPerSec),
      f0(s.median.bare.requestsPerSec),
      `${times(s.ratios.throughput)} (${verdict(s.met.throughput, s.clean)})`,
      `${f1(s.median.crossdock.p50Ms)} / ${f1(s.median.bare.p50Ms)} ms`,
      `${f1(s.median.crossdock.p99Ms)} / ${f1(s.median.bare.p99Ms)} ms`,
      `${times(s.ratios.p99)} (${verdict(s.met.p99, s.clean)})`,
    ]),
  );
  const settings = table(
    [["variable"], ["default"], ["meaning"]],
    [
      ["`BENCH_DURATION`", "10", "seconds per measured run (per worker, per round); 1–120"],
      ["`BENCH_WARMUP`", "3", "seconds of unmeasured load per worker before the first round; 0–60"],
      ["`BENCH_ROUNDS`", "3", "interleaved rounds; the report takes the median; 1–10"],
      ["`BENCH_CONNECTIONS`", "16", "concurrent autocannon connections; 1–256"],
      ["`BENCH_PRODUCTS`", "100000", "catalog size for scenarios that need products"],
      ["`BENCH_SCENARIOS`", "all", "comma-separated subset, e.g. `me`"],
    ],
  );
  const machineTable = table(
    [["fact"], ["value"]],
    [
      ["date", machine.date],
      ["commit", machine.gitCommit],
      ["`nproc`", `${machine.nproc} (${machine.cpuModel})`],
      ["OS", machine.os],
      ["load average at start (1/5/15 min)", machine.loadAverage.join(" / ")],
      ["node", machine.node],
      ["workerd", machine.workerd],
      ["miniflare", machine.miniflare],
      ["wrangler", machine.wrangler],
      ["autocannon", machine.autocannon],
    ],
  );
  const logs = Object.entries(logCounts)
    .map(([level, n]) => `${f0(n)} console.${level}`)
    .join(", ");
  const catalog = catalogSize === null ? "" : ` Catalog: ${f0(catalogSize)} products.`;
  const seededProducts =
    catalogSize === null
      ? ""
      : `, and ${f0(catalogSize)} products from crossdock's demo-data generator (fixed seed and clock) in INSERTs of 500 rows`;
  return `# Benchmarks

Generated by \`npm run bench\` (bench/run.ts) on ${machine.date}; rerun it rather than editing this file.
Crossdock's production bundle against a bare worker that runs the identical D1 statements with no
framework, both on one local workerd in the same run. Targets (from the issue): crossdock's throughput
≥ ${throughputRatioMin}× the bare worker's, and its p99 ≤ ${p99RatioMax}× the bare worker's.

## Results

${noiseWarning(input)}${overview}

Medians over ${config.rounds} round(s) of ${config.durationSec} s per worker, ${config.connections} connections.${catalog}

${summaries.map(({ r, s }) => scenarioSection(r, s)).join("\n\n")}

## How to run

\`\`\`sh
npm run bench   # full run with the defaults below; rewrites this file
BENCH_DURATION=2 BENCH_WARMUP=1 BENCH_ROUNDS=1 BENCH_SCENARIOS=me npm run bench   # smoke run, ~15 s
\`\`\`

${settings}

A run shorter or smaller than the defaults, or with a subset of scenarios, is a smoke run: its report
goes to \`bench/.results/\` only and leaves this file alone. Raw JSON of every run is written to
\`bench/.results/\` (git-ignored); \`tsx bench/render.ts bench/.results/<run>.json\` rewrites this file
from one without measuring again.

## Method

1. **Bundles.** Crossdock is built with \`wrangler deploy --dry-run --outdir\`, which is what CI builds
   for production. The bare worker (\`bench/bare-worker/\`) is bundled by the same command, on
   crossdock's compatibility date and flags.
2. **Runtime.** One Miniflare instance (one workerd process) hosts both bundles. Both are bound to the
   same D1 database (a temporary one, removed on exit), so they read identical data by construction.
   Each worker is reached on its own socket on 127.0.0.1 (Miniflare's direct sockets), so no entry or
   router worker sits in front of either; static assets are not mounted (no /v1 path matches one).
   \`wrangler dev\` is not used: it adds a proxy hop.
3. **Data.** \`migrations/*.sql\` applied statement by statement (split on drizzle-kit's breakpoints),
   then users with live sessions inserted directly (SHA-256 token hashes, as crossdock stores
   them)${seededProducts}.
4. **Parity.** Before any load, the first requests of each scenario are sent to both workers and their
   status codes and JSON bodies compared; the run stops if they differ.
5. **Load.** [autocannon](https://github.com/mcollina/autocannon), closed loop, one request in flight per
   connection, driven from the harness's own Node process. Per scenario: ${config.warmupSec} s of warm-up
   per worker, then ${config.rounds} round(s) of ${config.durationSec} s per worker, alternating which
   worker goes first (crossdock → bare, then bare → crossdock, …) so that drift on the machine hits both.
   Throughput is autocannon's mean requests per second; p50 and p99 come from its latency histogram.
   workerd CPU per request is read from /proc around each run.

## Machine

${machineTable}

\`free -g\`:

\`\`\`
${machine.memory}
\`\`\`

## Notes

- **This is not production capacity.** The figures come from a local workerd on a ${machine.nproc}-core
  machine that other work shares; compare the ratios, not the absolute numbers, and look at the per-round
  spread before trusting a difference of a few percent.
- **D1 is local here.** Miniflare runs D1 as SQLite inside the same workerd process, so the database's
  work and the worker's work compete for the same cores, and the load generator competes with both.
  Every microsecond of per-request CPU in the worker therefore costs throughput here, where in production
  D1 runs elsewhere and its round trip, not the worker's CPU, dominates a request's latency. The ratios
  are a pessimistic view of framework overhead.
- **What the difference consists of.** Beyond the bare worker, crossdock runs Hono's router,
  @hono/zod-openapi's validation, its middleware (request id, W3C traceparent, access log, secure headers,
  CORS, body limit) and drizzle's row mapping; it writes one JSON access-log line per request and sends
  about fifteen more response headers, which the load generator, on the same cores, must also parse.
  Log lines the workers wrote during this run: ${logs || "none"}. Miniflare forwards them to the
  harness, which counts them without printing.
- **workerd CPU per request** is the steadiest figure here: CPU seconds the workerd process spent during
  a run divided by the requests it completed. It includes D1's work, which is the same for both workers,
  so the difference between the two columns is what crossdock's code costs per request. Other load on
  the machine still moves it (cache and frequency effects), less than it moves throughput and latency.
- **Closed loop.** With every connection busy, latency is mostly queueing: p50 ≈ connections ÷
  throughput, so the p50 ratio largely mirrors the throughput ratio, while p99 adds scheduling and GC
  pauses. autocannon's histogram records whole milliseconds.
`;
}
