import { type BenchConfig, DEFAULTS } from "./config";
import type { Verdict } from "./intervals";
import { judgeLoad, LOAD_GUARD_DEFAULTS, type LoadJudgement } from "./load-guard";
import type { MachineFacts } from "./machine";
import { f0, f1, micros, table, targetText, times, timesWithInterval } from "./markdown";
import {
  RATIO_TARGETS,
  type ScenarioResult,
  type ScenarioSummary,
  summarise,
  type TargetSummary,
} from "./results";
import { TARGET_LABELS } from "./targets";

const { throughput: throughputTarget, p99: p99Target } = RATIO_TARGETS;
/** Seconds one outside-load sample takes (bench/lib/outside-load.ts defaults). */
const SAMPLE_SEC = 2.5;

const verdictWord = (verdict: Verdict, clean: boolean, markdown: boolean) => {
  if (!clean) return "invalid run";
  return markdown && verdict === "missed" ? "**missed**" : verdict;
};

const SAME = TARGET_LABELS["same-sql"];
const FLOOR = TARGET_LABELS.floor;

/** A ratio against the floor with its target and verdict, or a dash where the scenario has no floor. */
const floorCell = (s: ScenarioSummary, markdown: boolean) =>
  s.floor
    ? `${timesWithInterval(s.floor.throughput)} ${targetText(s.floor.throughput.target)} ${verdictWord(s.floor.throughput.verdict, s.clean, markdown)}`
    : "no floor";

/** The summary printed at the end of a run. `busy`: the load guard found the machine busy. */
export function consoleTable(results: ScenarioResult[], busy: boolean): string {
  return table(
    [
      ["scenario"],
      ["crossdock req/s", "right"],
      ["same SQL req/s", "right"],
      ["floor req/s", "right"],
      ["÷ same SQL [95%]", "right"],
      [targetText(throughputTarget)],
      ["÷ floor [95%], target, verdict"],
      ["p99 ÷ same SQL [95%]", "right"],
      [targetText(p99Target)],
    ],
    results.map((r) => {
      const s = summarise(r, { busy });
      return [
        r.name,
        f0(s.median.crossdock.requestsPerSec),
        f0(s.median["same-sql"].requestsPerSec),
        s.median.floor ? f0(s.median.floor.requestsPerSec) : "–",
        timesWithInterval(s.ratios.throughput),
        verdictWord(s.ratios.throughput.verdict, s.clean, false),
        floorCell(s, false),
        timesWithInterval(s.ratios.p99),
        verdictWord(s.ratios.p99.verdict, s.clean, false),
      ];
    }),
  );
}

function scenarioSection(r: ScenarioResult, s: ScenarioSummary): string {
  const { crossdock: c, "same-sql": b, floor: fl } = s.median;
  const { throughput, p50, p99, cpu } = s.ratios;
  const f = s.floor;
  const ms = (t: TargetSummary | null, pick: (t: TargetSummary) => number) => (t ? `${f1(pick(t))} ms` : "–");
  const medians = table(
    [
      [""],
      ["crossdock", "right"],
      [SAME, "right"],
      [FLOOR, "right"],
      ["crossdock ÷ same SQL [95%]", "right"],
      ["target"],
      ["verdict"],
      ["crossdock ÷ floor [95%]", "right"],
      ["target"],
      ["verdict"],
    ],
    [
      [
        "throughput (req/s)",
        f0(c.requestsPerSec),
        f0(b.requestsPerSec),
        fl ? f0(fl.requestsPerSec) : "–",
        timesWithInterval(throughput),
        targetText(throughput.target),
        verdictWord(throughput.verdict, s.clean, true),
        f ? timesWithInterval(f.throughput) : "–",
        f ? targetText(f.throughput.target) : "",
        f ? verdictWord(f.throughput.verdict, s.clean, true) : "",
      ],
      [
        "latency p50",
        ms(c, (t) => t.p50Ms),
        ms(b, (t) => t.p50Ms),
        ms(fl, (t) => t.p50Ms),
        timesWithInterval(p50),
        "",
        "",
        "",
        "",
        "",
      ],
      [
        "latency p99",
        ms(c, (t) => t.p99Ms),
        ms(b, (t) => t.p99Ms),
        ms(fl, (t) => t.p99Ms),
        timesWithInterval(p99),
        targetText(p99.target),
        verdictWord(p99.verdict, s.clean, true),
        f ? timesWithInterval(f.p99) : "–",
        "",
        "",
      ],
      [
        "workerd CPU per request",
        micros(c.cpuUsPerRequest),
        micros(b.cpuUsPerRequest),
        fl ? micros(fl.cpuUsPerRequest) : "–",
        timesWithInterval(cpu),
        "",
        "",
        f ? timesWithInterval(f.cpu) : "–",
        "",
        "",
      ],
    ],
  );
  const failures = (run: { non2xx: number; errors: number; timeouts: number } | undefined) =>
    run ? `${run.non2xx}/${run.errors}/${run.timeouts}` : "–";
  const perRound = table(
    [
      ["round", "right"],
      ["order"],
      ["crossdock req/s", "right"],
      ["p50", "right"],
      ["p99", "right"],
      ["same SQL req/s", "right"],
      ["p50", "right"],
      ["p99", "right"],
      ["floor req/s", "right"],
      ["p99", "right"],
      ["÷ same SQL", "right"],
      ["÷ floor", "right"],
      ["outside load before → after", "right"],
      ["load avg (1 min) after each"],
      ["non-2xx / errors / timeouts"],
    ],
    r.rounds.map(({ round, order, runs }, i) => {
      const { crossdock: rc, "same-sql": rb, floor: rf } = runs;
      return [
        String(round),
        order.join(" → "),
        f0(rc.requestsPerSec),
        f1(rc.p50Ms),
        f1(rc.p99Ms),
        f0(rb.requestsPerSec),
        f1(rb.p50Ms),
        f1(rb.p99Ms),
        rf ? f0(rf.requestsPerSec) : "–",
        rf ? f1(rf.p99Ms) : "–",
        times(rc.requestsPerSec / rb.requestsPerSec),
        rf ? times(rc.requestsPerSec / rf.requestsPerSec) : "–",
        `${r.outsideLoad?.[i] ?? "n/a"} → ${r.outsideLoad?.[i + 1] ?? "n/a"}`,
        order.map((t) => runs[t]?.loadAverage1m ?? "n/a").join(" / "),
        `crossdock ${failures(rc)}, same SQL ${failures(rb)}${rf ? `, floor ${failures(rf)}` : ""}`,
      ];
    }),
  );
  const floorNote = r.floor
    ? `Target against the floor: throughput ${targetText(r.floor.target)}, because ${r.floor.why}.`
    : "No hand-written floor for this scenario: it is measured against the same-SQL baseline only.";
  return `### ${r.name}

${r.summary}. ${r.distinctRequests} distinct request(s), cycled identically against every worker.
${floorNote}

${medians}

Per round (the medians and ratios above come from these; latencies in ms; outside load: runnable tasks
other than the benchmark's, sampled with every worker idle before and after the round):

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
      ["same SQL req/s", "right"],
      ["floor req/s", "right"],
      [`throughput ÷ same SQL [95% interval], target ${targetText(throughputTarget)}`],
      ["throughput ÷ floor [95% interval], target, verdict"],
      ["p99 crossdock / same SQL"],
      [`p99 ÷ same SQL [95% interval], target ${targetText(p99Target)}`],
    ],
    summaries.map(({ r, s }) => [
      r.name,
      f0(s.median.crossdock.requestsPerSec),
      f0(s.median["same-sql"].requestsPerSec),
      s.median.floor ? f0(s.median.floor.requestsPerSec) : "–",
      `${timesWithInterval(s.ratios.throughput)} ${verdictWord(s.ratios.throughput.verdict, s.clean, true)}`,
      floorCell(s, true),
      `${f1(s.median.crossdock.p99Ms)} / ${f1(s.median["same-sql"].p99Ms)} ms`,
      `${timesWithInterval(s.ratios.p99)} ${verdictWord(s.ratios.p99.verdict, s.clean, true)}`,
    ]),
  );
  const perScenarioSec = (workers: number) =>
    workers * DEFAULTS.warmupSec + DEFAULTS.rounds * workers * DEFAULTS.durationSec;
  const minutes = (workers: number) => f1((perScenarioSec(workers) + samplesPerScenario * SAMPLE_SEC) / 60);
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

Generated by \`npm run bench:all\` (bench/all.ts), which runs every harness below in turn at one clean commit and
writes this whole file; each section also names the harness that wrote it, which can be rerun alone. This
part: \`npm run bench\` (bench/run.ts) on ${machine.date}. Rerun them rather than editing this file.
Crossdock's production bundle against two baselines, all on one local workerd in the same interleaved
rounds: **${SAME}**, a plain worker that runs the identical D1 statements (rendered by Crossdock's own
builders) and so measures the framework's cost only; and the **${FLOOR}**, the fastest SQL a person would
write for the same answer with no Crossdock code, so that a slow query cannot hide behind a 1.0× ratio.
Targets: crossdock's throughput ${targetText(throughputTarget)} and its p99 ${targetText(p99Target)} the same-SQL
baseline's (from the issue), and a throughput target against the floor per scenario, given with its reason.

## Results

${loadStatement(load)}${overview}

Req/s and latencies: medians over ${config.rounds} round(s) of ${config.durationSec} s per worker, ${config.connections} connections.${catalog}
Ratios: the geometric mean of the per-round crossdock ÷ baseline ratios, with a 95% interval (Student's t on
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

A full run measures a scenario with a floor for ${perScenarioSec(3)} s (3 × ${DEFAULTS.warmupSec} s of warm-up, then ${DEFAULTS.rounds} rounds × 3 workers × ${DEFAULTS.durationSec} s),
one without for ${perScenarioSec(2)} s, and samples the outside load ${samplesPerScenario} times per scenario (${SAMPLE_SEC} s each): about
${minutes(3)} and ${minutes(2)} minutes, plus the build and the catalog's seeding. Each round more costs one
${DEFAULTS.durationSec} s run per worker, and the intervals narrow roughly as one over the square root of the number of rounds.

Four development tools sit beside the harness and write nothing: \`npx tsx bench/ab-builds.ts a.js b.js
[scenario]\` runs two builds of crossdock interleaved in one workerd (before/after a change);
\`npm run bench:profile -- <scenario>\` takes a V8 CPU profile of crossdock under a scenario's load;
\`npx tsx bench/search-plans.ts\` prints each search request's SQL plan and time on the seeded catalog; and
\`npm run bench:overhead [-- a.js b.js …]\` prices crossdock's own code per \`GET /v1/me\` against the same-SQL
handler in one isolate, with no HTTP and no D1 (bench/overhead-worker/), so that a few microseconds are
not lost in their noise: builds without one piece each (the access log, the secure headers, the cost
meter) show what that piece costs.

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
   for production. The same-SQL worker (\`bench/same-sql-worker/\`) and the floor
   (\`bench/floor-worker/\`) are bundled by the same command, on crossdock's compatibility date and flags.
   The same-SQL worker imports Crossdock's query builders, search planner and pricing, and renders the
   SQL once at start-up; the floor imports nothing of Crossdock and has no handler where its rules would
   have to be written twice (quote's pricing). Where crossdock reads through a D1 session (search, quote:
   read replication) and answers with its \`x-d1-bookmark\`, both baselines open the same session and send
   the same header, since the header is part of the answer.
2. **Runtime.** One Miniflare instance (one workerd process) hosts the three bundles, all bound to the
   same D1 database (a temporary one, removed on exit), so they read identical data by construction.
   Each worker is reached on its own socket on 127.0.0.1 (Miniflare's direct sockets), so no entry or
   router worker sits in front of any; static assets are not mounted (no /v1 path matches one).
   \`wrangler dev\` is not used: it adds a proxy hop.
3. **Data.** \`migrations/*.sql\` applied statement by statement (split on drizzle-kit's breakpoints),
   then users with live sessions inserted directly (SHA-256 token hashes, as crossdock stores
   them)${seededProducts}.
4. **Parity.** Before any load, the first requests of each scenario are sent to crossdock and to each
   baseline it is measured against, and their status codes, JSON bodies and answer headers
   (\`x-d1-bookmark\`) compared (bench/lib/parity.ts);
   the run stops if any differs, so neither baseline can win by answering less.
5. **Load.** [autocannon](https://github.com/mcollina/autocannon), closed loop, one request in flight per
   connection, driven from the harness's own Node process. Per scenario: ${config.warmupSec} s of warm-up
   per worker, then ${config.rounds} round(s) of ${config.durationSec} s per worker, the order rotating each
   round (crossdock → same SQL → floor, then same SQL → floor → crossdock, …) so that drift on the
   machine hits every worker alike.
   Throughput is autocannon's mean requests per second; p50 and p99 come from its latency histogram.
   workerd CPU per request is read from /proc around each run.
6. **Ratios and intervals.** Each round gives one paired ratio per metric and baseline, crossdock ÷ same
   SQL and crossdock ÷ floor, from runs back to back, so drift between rounds cancels out of it. The ratio reported is the geometric mean
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
- **What the difference consists of.** Beyond the same-SQL worker, crossdock runs Hono's router,
  @hono/zod-openapi's validation, its middleware (request id, W3C traceparent, access log, secure headers,
  CORS, body limit) and drizzle's row mapping; it writes one JSON access-log line per request and sends
  about fifteen more response headers, which the load generator, on the same cores, must also parse.
  Log lines the workers wrote during this run: ${logs || "none"}. Miniflare forwards them to the
  harness, which counts them without printing.
- **workerd CPU per request** is the steadiest figure here: CPU seconds the workerd process spent during
  a run divided by the requests it completed. It includes D1's work, which is the same for crossdock and
  the same-SQL worker, so the difference between those two columns is what crossdock's code costs per
  request; the difference to the floor adds what better SQL would save. Other load on
  the machine still moves it (cache and frequency effects), less than it moves throughput and latency.
- **Closed loop.** With every connection busy, latency is mostly queueing: p50 ≈ connections ÷
  throughput, so the p50 ratio largely mirrors the throughput ratio, while p99 adds scheduling and GC
  pauses. autocannon's histogram records whole milliseconds.
`;
}
