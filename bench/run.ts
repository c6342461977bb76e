/**
 * `npm run bench`: crossdock's production bundle against two baselines, all on one local workerd, under
 * autocannon, in the same interleaved rounds: the same SQL with no framework (bench/same-sql-worker/),
 * and a hand-written floor (bench/floor-worker/) for the scenarios that have one.
 * Method, settings (BENCH_*) and the latest figures: docs/BENCHMARKS.md.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { buildBaseline, buildCrossdock } from "./lib/build";
import { runMain } from "./lib/cli";
import { type BenchConfig, isSmokeRun, readConfig } from "./lib/config";
import { WorkerdCpu } from "./lib/cpu";
import { keepingSections } from "./lib/doc-sections";
import { runLoad, stopLoad } from "./lib/load";
import { machineFacts } from "./lib/machine";
import { applyMigrations } from "./lib/migrations";
import { sampleOutsideLoad } from "./lib/outside-load";
import { checkParity } from "./lib/parity";
import { consoleTable, loadJudgement, markdownReport, type ReportInput } from "./lib/report";
import { type RoundResult, type ScenarioResult, summarise, type TargetRun } from "./lib/results";
import { type BenchRuntime, crossdockWorkerOptions, startRuntime } from "./lib/runtime";
import { rotation, TARGETS, type Target } from "./lib/targets";
import { scenarios } from "./scenarios";
import type { BenchRequest, Scenario } from "./scenarios/types";
import { Fixtures } from "./seed/fixtures";

// Keep wrangler and Miniflare off the network: the run is local by design.
process.env.WRANGLER_SEND_METRICS ??= "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";

const root = join(import.meta.dirname, "..");
const log = (message: string) => console.log(`[bench] ${message}`);
let interrupted = false;

function pickScenarios(names: string[] | null): readonly Scenario[] {
  if (names === null) return scenarios;
  const unknown = names.filter((n) => !scenarios.some((s) => s.name === n));
  if (unknown.length > 0) {
    throw new Error(`Unknown scenario(s) ${unknown.join(", ")}; available: ${scenarios.map((s) => s.name)}`);
  }
  return scenarios.filter((s) => names.includes(s.name));
}

async function measureScenario(
  scenario: Scenario,
  requests: BenchRequest[],
  rt: BenchRuntime,
  config: BenchConfig,
): Promise<ScenarioResult> {
  const cpu = new WorkerdCpu();
  const load = { connections: config.connections, durationSec: config.durationSec };
  const measure = async (target: Target): Promise<TargetRun> => {
    const before = cpu.seconds();
    const run = await runLoad(rt.urls[target], requests, load);
    const after = cpu.seconds();
    const cpuUsPerRequest =
      before === null || after === null || run.total === 0 ? null : ((after - before) * 1e6) / run.total;
    return { ...run, cpuUsPerRequest, loadAverage1m: Math.round(loadavg()[0]! * 100) / 100 };
  };

  const targets = TARGETS.filter((t) => t !== "floor" || scenario.floor !== undefined);
  for (const target of targets) {
    if (config.warmupSec === 0 || interrupted) break;
    log(`${scenario.name}: warm-up ${target} ${config.warmupSec} s`);
    await runLoad(rt.urls[target], requests, { ...load, durationSec: config.warmupSec });
  }
  const rounds: RoundResult[] = [];
  // Before the first round and after each, with every worker idle: the load guard's samples.
  const outsideLoad = [await sampleOutsideLoad()];
  for (let round = 1; round <= config.rounds && !interrupted; round++) {
    const order = rotation(targets, round);
    const runs: Partial<Record<Target, TargetRun>> = {};
    for (const target of order) {
      const run = await measure(target);
      runs[target] = run;
      log(
        `${scenario.name}: round ${round}/${config.rounds} ${target.padEnd(9)} ${Math.round(run.requestsPerSec)} req/s` +
          `  p50 ${run.p50Ms} ms  p99 ${run.p99Ms} ms` +
          (run.non2xx + run.errors + run.timeouts > 0
            ? `  (non-2xx ${run.non2xx}, errors ${run.errors}, timeouts ${run.timeouts})`
            : ""),
      );
    }
    const { crossdock, "same-sql": sameSql, floor } = runs;
    if (crossdock && sameSql && !interrupted) {
      rounds.push({ round, order, runs: { crossdock, "same-sql": sameSql, ...(floor && { floor }) } });
      const load = await sampleOutsideLoad();
      outsideLoad.push(load);
      log(`${scenario.name}: outside load after round ${round}: ${load}`);
    }
  }
  return {
    name: scenario.name,
    summary: scenario.summary,
    distinctRequests: requests.length,
    rounds,
    ...(scenario.floor && { floor: scenario.floor }),
    outsideLoad,
  };
}

async function main(): Promise<number> {
  const config = readConfig();
  const selected = pickScenarios(config.scenarios);
  const machine = machineFacts(root);
  const outsideLoadAtStart = await sampleOutsideLoad();
  log(
    `outside load before the run: ${outsideLoadAtStart} (runnable tasks; BENCH_MAX_LOAD ${config.loadGuard?.maxLoad})`,
  );
  const wranglerToml = join(root, "wrangler.toml");
  const tmp = await mkdtemp(join(tmpdir(), "crossdock-bench-"));
  let rt: BenchRuntime | undefined;
  try {
    log("building the production bundle, the same-SQL worker and the floor (wrangler deploy --dry-run)");
    const { compat, assetsDirectory } = crossdockWorkerOptions(wranglerToml);
    const bundles = {
      crossdock: await buildCrossdock(root, join(tmp, "crossdock"), assetsDirectory),
      "same-sql": await buildBaseline(root, join(tmp, "same-sql"), compat, "same-sql-worker"),
      floor: await buildBaseline(root, join(tmp, "floor"), compat, "floor-worker"),
    };
    rt = await startRuntime(wranglerToml, bundles, (message) => console.error(`[workerd error] ${message}`));
    log(`workers up: ${TARGETS.map((t) => `${t} ${rt?.urls[t].origin}`).join(", ")}`);
    const statements = await applyMigrations(rt.db, join(root, "migrations"));
    log(`migrations applied (${statements} statements)`);
    const fixtures = new Fixtures(rt.db, config.products);

    const results: ScenarioResult[] = [];
    for (const scenario of selected) {
      if (interrupted) break;
      const started = Date.now();
      const requests = await scenario.setup({ db: rt.db, fixtures });
      log(`${scenario.name}: seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      await checkParity(scenario, requests, rt.urls, scenario.floor ? ["same-sql", "floor"] : ["same-sql"]);
      results.push(await measureScenario(scenario, requests, rt, config));
    }
    if (interrupted) return 130;

    const input: ReportInput = {
      config,
      machine,
      results,
      catalogSize: fixtures.catalogSize,
      logCounts: Object.fromEntries(rt.logCounts),
      outsideLoadAtStart,
    };
    const load = loadJudgement(input);
    const smoke = isSmokeRun(
      config,
      scenarios.map((s) => s.name),
    );
    const refused = !smoke && !load.publish;
    console.log(`\n${consoleTable(results, !load.quiet)}\n`);
    if (refused) console.error(`[bench] ${load.summary}`);
    else log(load.summary);
    const stamp = machine.date.replace(/[:.]/g, "-");
    const outDir = join(root, "bench", ".results");
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, `${stamp}.json`), `${JSON.stringify(input, null, 2)}\n`);
    const reportPath = smoke || refused ? join(outDir, `${stamp}.md`) : join(root, "docs", "BENCHMARKS.md");
    await mkdir(join(reportPath, ".."), { recursive: true });
    // The event benchmark owns its section of the file (bench/events.ts): carry it over.
    await writeFile(reportPath, await keepingSections(reportPath, markdownReport(input)));
    const leftAlone = smoke
      ? " (smoke run: docs/BENCHMARKS.md left alone)"
      : refused
        ? " (busy machine: docs/BENCHMARKS.md left alone)"
        : "";
    log(`report: ${relative(root, reportPath)}${leftAlone}`);
    log(`raw results: ${relative(root, join(outDir, `${stamp}.json`))}`);
    const clean = results.every((r) => summarise(r).clean);
    if (!clean) console.error("[bench] some requests failed (non-2xx, errors or timeouts): see the report");
    return clean && !refused ? 0 : 1;
  } finally {
    await rt?.dispose();
    await rm(tmp, { recursive: true, force: true });
  }
}

process.once("SIGINT", () => {
  interrupted = true;
  stopLoad();
  console.error("\n[bench] interrupted: stopping the current run and shutting down");
});

runMain(main);
