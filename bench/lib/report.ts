import { type BenchConfig, DEFAULTS } from "./config";
import type { Verdict } from "./intervals";
import { judgeLoad, LOAD_GUARD_DEFAULTS, type LoadJudgement } from "./load-guard";
import type { MachineFacts } from "./machine";
import { f0, f1, intervalText, micros, table, targetText, times, timesWithInterval } from "./markdown";
import { RATIO_TARGETS, type ScenarioResult, type ScenarioSummary, summarise } from "./results";

const { throughput: throughputTarget, p99: p99Target } = RATIO_TARGETS;
/** Seconds one outside-load sample takes (bench/lib/outside-load.ts defaults). */
const SAMPLE_SEC = 2.5;

const verdictWord = (verdict: Verdict, clean: boolean, markdown: boolean) => {
  if (!clean) return "invalid run";
  return markdown && verdict === "missed" ? "**missed**" : verdict;
};

/** The summary printed at the end of a run. `busy`: the load guard found the machine busy. */
export function consoleTable(results: ScenarioResult[], busy: boolean): string {
  return table(
    [
      ["scenario"],
      ["crossdock req/s", "right"],
      ["bare req/s", "right"],
      ["throughput ratio [95%]", "right"],
      [targetText(throughputTarget)],
      ["crossdock p99", "right"],
      ["bare p99", "right"],
      ["p99 ratio [95%]", "right"],
      [targetText(p99Target)],
    ],
    results.map((r) => {
      const s = summarise(r, { busy });
      const { crossdock: c, bare: b } = s.median;
      return [
        r.name,
        f0(c.requestsPerSec),
        f0(b.requestsPerSec),
        timesWithInterval(s.ratios.throughput),
        verdictWord(s.ratios.throughput.verdict, s.clean, false),
        `${f1(c.p99Ms)} ms`,
        `${f1(b.p99Ms)} ms`,
        timesWithInterval(s.ratios.p99),
        verdictWord(s.ratios.p99.verdict, s.clean, false),
      ];
    }),
  );
}

function scenarioSection(r: ScenarioResult, s: ScenarioSummary): string {
  const { crossdock: c, bare: b } = s.median;
  const { throughput, p50, p99, cpu } = s.ratios;
  const medians = table(
    [
      [""],
      ["crossdock", "right"],
      ["bare worker", "right"],
      ["crossdock ÷ bare", "right"],
      ["95% interval", "right"],
      ["target"],
      ["verdict"],
    ],
    [
      [
        "throughput (req/s)",
        f0(c.requestsPerSec),
        f0(b.requestsPerSec),
        times(throughput.ratio),
        intervalText(throughput),
        targetText(throughput.target),
        verdictWord(throughput.verdict, s.clean, true),
      ],
      ["latency p50", `${f1(c.p50Ms)} ms`, `${f1(b.p50Ms)} ms`, times(p50.ratio), intervalText(p50), "", ""],
      [
        "latency p99",
        `${f1(c.p99Ms)} ms`,
        `${f1(b.p99Ms)} ms`,
        times(p99.ratio),
        intervalText(p99),
        targetText(p99.target),
        verdictWord(p99.verdict, s.clean, true),
      ],
      [
        "workerd CPU per request",
        micros(c.cpuUsPerRequest),
        micros(b.cpuUsPerRequest),
        times(cpu.ratio),
        intervalText(cpu),
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
      ["outside load before → after", "right"],
      ["load avg (1 min) after crossdock / bare"],
      ["non-2xx / errors / timeouts"],
    ],
    r.rounds.map(({ round, order, runs: { crossdock: rc, bare: rb } }, i) => [
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
      `${r.outsideLoad?.[i] ?? "n/a"} → ${r.outsideLoad?.[i + 1] ?? "n/a"}`,
      `${rc.loadAverage1m} / ${rb.loadAverage1m}`,
      `crossdock ${failures(rc)}, bare ${failures(rb)}`,
    ]),
  );
  return `### ${r.name}

${r.summary}. ${r.distinctRequests} distinct request(s), cycled identically against both workers.

${medians}

Per round (the medians and ratios above come from these; latencies in ms; outside load: runnable tasks
other than the benchmark's, sampled with it idle before and after the round):

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
  /** Outside load before anything of the benchmark ran; absent from runs saved before the load guard. */
  outsideLoadAtStart?: number;
}

/** The load guard's decision on a run: every outside-load sample it took, against its settings. */
export function loadJudgement({ config, results, outsideLoadAtStart }: ReportInput): LoadJudgement {
  const samples = [
    ...(outsideLoadAtStart === undefined ? [] : [outsideLoadAtStart]),
    ...results.flatMap((r) => r.outsideLoad ?? []),
  ];
  return judgeLoad(samples, config.loadGuard ?? LOAD_GUARD_DEFAULTS);
}

/** What the load guard found, for the top of the Results: one line when quiet, a warning otherwise. */
function loadStatement(load: LoadJudgement): string {
  if (load.quiet) {
    return `${load.summary} Outside load is the number of runnable tasks other than the benchmark's, sampled with
the benchmark idle before the run and around every round (per round below).

`;
  }
  const title = load.publish ? "Busy machine." : "Busy machine: not published.";
  return `> **${title}** ${load.summary} Every verdict below is therefore inconclusive: outside load
> shifts the ratios, not only their noise, in a direction the run cannot know. Rerun on a quiet machine
> before drawing conclusions.

`;
}

export function markdownReport(input: ReportInput): string {
  const { config, machine, results, catalogSize, logCounts } = input;
  const load = loadJudgement(input);
  const summaries = results.map((r) => ({ r, s: summarise(r, { busy: !load.quiet }) }));
  const overview = table(
    [
      ["scenario"],
      ["crossdock req/s", "right"],
      ["bare req/s", "right"],
      [`throughput ratio [95% interval], target ${targetText(throughputTarget)}`],
      ["p50 crossdock / bare"],
      ["p99 crossdock / bare"],
      [`p99 ratio [95% interval], target ${targetText(p99Target)}`],
    ],
    summaries.map(({ r, s }) => [
      r.name,
      f0(s.median.crossdock.requestsPerSec),
      f0(s.median.bare.requestsPerSec),
      `${timesWithInterval(s.ratios.throughput)} ${verdictWord(s.ratios.throughput.verdict, s.clean, true)}`,
      `${f1(s.median.crossdock.p50Ms)} / ${f1(s.median.bare.p50Ms)} ms`,
      `${f1(s.median.crossdock.p99Ms)} / ${f1(s.median.bare.p99Ms)} ms`,
      `${timesWithInterval(s.ratios.p99)} ${verdictWord(s.ratios.p99.verdict, s.clean, true)}`,
    ]),
  );
  const perScenarioSec = 2 * DEFAULTS.warmupSec + DEFAULTS.rounds * 2 * DEFAULTS.durationSec;
  const samplesPerScenario = DEFAULTS.rounds + 1;
  const settings = table(
    [["variable"], ["default"], ["meaning"]],
    [
      [
        "`BENCH_DURATION`",
        `${DEFAULTS.durationSec}`,
        "seconds per measured run (per worker, per round); 1–120",
      ],
      [
        "`BENCH_WARMUP`",
        `${DEFAULTS.warmupSec}`,
        "seconds of unmeasured load per worker before the first round; 0–60",
      ],
      [
        "`BENCH_ROUNDS`",
        `${DEFAULTS.rounds}`,
        "interleaved rounds, one paired ratio each; an interval needs 2 (with 1, every verdict is inconclusive); 1–30",
      ],
      ["`BENCH_CONNECTIONS`", `${DEFAULTS.connections}`, "concurrent autocannon connections; 1–256"],
      ["`BENCH_PRODUCTS`", `${DEFAULTS.products}`, "catalog size for scenarios that need products"],
      ["`BENCH_SCENARIOS`", "all", "comma-separated subset, e.g. `me`"],
      [
        "`BENCH_MAX_LOAD`",
        `${LOAD_GUARD_DEFAULTS.maxLoad}`,
        "highest outside load (runnable tasks besides the benchmark's) at which this file is still written; 0–64",
      ],
      [
        "`BENCH_ALLOW_LOAD`",
        "unset",
        "`1`: write this file from a busy run anyway, saying so; every verdict is then inconclusive",
      ],
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
      ["outside load at start (runnable tasks)", `${input.outsideLoadAtStart ?? "not measured"}`],
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
${targetText(throughputTarget)} the bare worker's, and its p99 ${targetText(p99Target)} the bare worker's.

## Results

${loadStatement(load)}${overview}

Req/s and latencies: medians over ${config.rounds} round(s) of ${config.durationSec} s per worker, ${config.connections} connections.${catalog}
Ratios: the geometric mean of the per-round crossdock ÷ bare ratios, with a 95% interval (Student's t on
their logarithms). A target is **met** only when the whole interval clears it, **missed** when the whole
interval is on the wrong side, and **inconclusive** when the interval straddles it (the noise is larger
than the effect) or there is none.

${summaries.map(({ r, s }) => scenarioSection(r, s)).join("\n\n")}

## How to run

\`\`\`sh
npm run bench   # full run with the defaults below; rewrites this file on a quiet machine
BENCH_DURATION=2 BENCH_WARMUP=1 BENCH_ROUNDS=1 BENCH_SCENARIOS=me npm run bench   # smoke run, ~25 s
\`\`\`

${settings}

A full run measures each scenario for ${perScenarioSec} s (2 × ${DEFAULTS.warmupSec} s of warm-up, then ${DEFAULTS.rounds} rounds × 2 workers × ${DEFAULTS.durationSec} s)
and samples the outside load ${samplesPerScenario} times (${SAMPLE_SEC} s each): about ${f1((perScenarioSec + samplesPerScenario * SAMPLE_SEC) / 60)} minutes per scenario, plus the
build and the catalog's seeding. Each round more costs 2 × ${DEFAULTS.durationSec} s per scenario, and the intervals narrow
roughly as one over the square root of the number of rounds.

A run shorter or smaller than the defaults, or with a subset of scenarios, is a smoke run: its report
goes to \`bench/.results/\` only and leaves this file alone. A full run on a busy machine (outside load
above \`BENCH_MAX_LOAD\`) prints its results, writes its report to \`bench/.results/\` too, says why,
and exits with 1, unless \`BENCH_ALLOW_LOAD=1\`. The other harnesses (\`bench:events\`,
\`bench:reports\`, \`bench:imports\`) sample the outside load once after a full run, under the same two
settings, through one helper (bench/lib/publish-section.ts): on a busy machine they write their section
to \`bench/.results/\` only, say why, and exit with 1.

Raw JSON of every run is written to \`bench/.results/\` (git-ignored);
\`tsx bench/render.ts bench/.results/<run>.json\` rewrites this file from one without measuring again
(not from a busy run, nor one saved before the load guard, unless \`BENCH_ALLOW_LOAD=1\`).

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
6. **Ratios and intervals.** Each round gives one paired ratio per metric, crossdock ÷ bare, from two
   runs back to back, so drift between rounds cancels out of it. The ratio reported is the geometric mean
   of the per-round ratios, and its 95% interval is Student's t on their logarithms, exponentiated back:
   logarithms because ratios are multiplicative, t because the spread is estimated from a few rounds
   (bench/lib/intervals.ts). A target is met only when the whole interval clears it, missed when the
   whole interval is on the wrong side, and inconclusive otherwise; one round gives no interval, so
   every verdict is inconclusive.
7. **Load guard.** Outside load is the mean number of runnable tasks (/proc/stat \`procs_running\`) over
   2 s, less the one reading it, sampled before the build and before and after every round, while
   nothing of the benchmark runs. The 1-minute load average is shown per run but not used: it decays over
   a minute, so between rounds it still holds the benchmark's own load. If the highest sample is above
   \`BENCH_MAX_LOAD\` (default ${LOAD_GUARD_DEFAULTS.maxLoad}: one other task always runnable takes a core, half of a
   2-core machine), every verdict is inconclusive and this file is not written, unless
   \`BENCH_ALLOW_LOAD=1\`, in which case the Results open with the load.

## Machine

${machineTable}

\`free -g\`:

\`\`\`
${machine.memory}
\`\`\`

## Notes

- **This is not production capacity.** The figures come from a local workerd on a ${machine.nproc}-core
  machine that other work shares; compare the ratios and their intervals, not the absolute numbers.
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
