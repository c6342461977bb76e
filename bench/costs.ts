/**
 * `npm run bench:costs`: what sign-ups, checkouts, catalog-import rows and analytics events cost on
 * Cloudflare's unit prices, from crossdock's own runtime counters (GET /ops/costs) on the production
 * bundle in one local workerd, against the platform's minimum for delivering the same facts. Settings:
 * BENCH_COSTS_ROUNDS (3), BENCH_COSTS_SIGNUPS (20), BENCH_COSTS_CHECKOUTS (50), BENCH_COSTS_IMPORT_ROWS
 * (2000), BENCH_COSTS_EVENTS (5000). Writes bench/.results/costs-*.json and the "Costs" section of
 * docs/BENCHMARKS.md (not on a busy machine; BENCH_ALLOW_LOAD=1 overrides).
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { SUBSCRIPTIONS } from "../src/flows";
import { costOf, minimumDeliveryDollars, totalDollars } from "../src/platform/costs/model";
import { billed, diffFlows, factsSince, snapshot, untilQuiet } from "./costs/measure";
import { type CostsResults, costsChart, costsSection, type RoundResult, summarise } from "./costs/report";
import { type Actors, drive, WORKLOADS, type Workload } from "./costs/workloads";
import { buildCrossdock } from "./lib/build";
import { barSpec, writeChart } from "./lib/charts";
import { intEnv, runMain, stepLogger } from "./lib/cli";
import { WorkerdCpu } from "./lib/cpu";
import { COSTS_MARKERS, readIfExists, withSection } from "./lib/doc-sections";
import { machineFacts } from "./lib/machine";
import { times } from "./lib/markdown";
import { applyMigrations } from "./lib/migrations";
import { quietEnoughToPublish } from "./lib/outside-load";
import { crossdockWorkerOptions, startCrossdockRuntime } from "./lib/runtime";
import { seedCatalog } from "./seed/products";
import { seedSessions } from "./seed/sessions";

process.env.WRANGLER_SEND_METRICS ??= "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";

const root = join(import.meta.dirname, "..");
const log = stepLogger("costs");

const config = {
  rounds: intEnv("BENCH_COSTS_ROUNDS", 3),
  signups: intEnv("BENCH_COSTS_SIGNUPS", 20),
  checkouts: intEnv("BENCH_COSTS_CHECKOUTS", 50),
  importRows: intEnv("BENCH_COSTS_IMPORT_ROWS", 2000),
  events: intEnv("BENCH_COSTS_EVENTS", 5000),
};
const UNITS: Record<Workload, number> = {
  "sign-ups": config.signups,
  checkouts: config.checkouts,
  "imported rows": config.importRows,
  "analytics events": config.events,
  "analytics events, all distinct": config.events,
};

const subscribersOf = (type: string) =>
  (SUBSCRIPTIONS as Record<string, readonly string[]>)[type]?.length ?? 0;

/**
 * Where one unit is finer than a fact (many events or rows travel in one), the fact each unit would be
 * on its own: the platform's minimum delivers every unit as its own message to that fact's subscribers.
 */
const UNIT_FACT: Partial<Record<Workload, string>> = {
  "analytics events": "analytics.events_received",
  "analytics events, all distinct": "analytics.events_received",
  "imported rows": "catalog.import_chunk_staged",
};

async function main(): Promise<number> {
  const machine = machineFacts(root);
  const wranglerToml = join(root, "wrangler.toml");
  const tmp = await mkdtemp(join(tmpdir(), "crossdock-bench-costs-"));
  const { assetsDirectory } = crossdockWorkerOptions(wranglerToml);
  log("building the production bundle (wrangler deploy --dry-run)");
  const bundle = await buildCrossdock(root, join(tmp, "crossdock"), assetsDirectory);
  const rt = await startCrossdockRuntime(wranglerToml, bundle, {}, (m) =>
    console.error(`[workerd error] ${m}`),
  );
  try {
    log(`migrations applied (${await applyMigrations(rt.db, join(root, "migrations"))} statements)`);
    const [admin] = await seedSessions(rt.db, 1, "admin");
    const [merchant] = await seedSessions(rt.db, 1, "merchant");
    const buyers = await seedSessions(rt.db, 32, "buyer");
    const catalog = await seedCatalog(rt.db, merchant!.userId, 500);
    const actors: Actors = { url: rt.url, buyers, merchant: merchant!, productIds: catalog.quotableIds };
    const cpu = new WorkerdCpu();
    const rounds: RoundResult[] = [];
    for (let round = 1; round <= config.rounds; round++) {
      // Interleaved: each round starts one workload later, so no workload always runs first or last.
      const order = WORKLOADS.map((_, i) => WORKLOADS[(i + round - 1) % WORKLOADS.length]!);
      for (const workload of order) {
        const before = await snapshot(rt.url, admin!.token);
        const cpu0 = cpu.seconds();
        const since = Date.now();
        const units = await drive(actors, workload, UNITS[workload], round);
        const after = await untilQuiet(rt.url, admin!.token, before);
        const cpu1 = cpu.seconds();
        const flows = diffFlows(before, after);
        const usage = billed(flows);
        const facts = await factsSince(rt.queryUrl, since);
        const packedMinimumDollars = facts.reduce(
          (s, f) => s + minimumDeliveryDollars(subscribersOf(f.type), f.bytes),
          0,
        );
        const unitFact = UNIT_FACT[workload];
        const minimumDollars = Math.max(
          packedMinimumDollars,
          unitFact ? units * minimumDeliveryDollars(subscribersOf(unitFact), 0) : 0,
        );
        const dollars = totalDollars(costOf(usage));
        rounds.push({
          round,
          workload,
          units,
          flows,
          usage,
          cpuSeconds: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0,
          facts: facts.length,
          minimumDollars,
          packedMinimumDollars,
          dollars,
        });
        log(
          `round ${round}/${config.rounds} ${workload.padEnd(16)} ${units} units, ${facts.length} facts: ` +
            `$${((dollars / units) * 1e6).toFixed(4)}/1M vs minimum $${((minimumDollars / units) * 1e6).toFixed(4)}/1M ` +
            `(${times(dollars / minimumDollars)})`,
        );
      }
    }
    const results: CostsResults = { config, machine, rounds, publishable: false };
    for (const s of summarise(results)) {
      log(`${s.workload}: ratio ${times(s.ratio.ratio)}${s.verdict ? ` (goal: ${s.verdict})` : ""}`);
    }
    results.publishable = config.rounds >= 3 && (await quietEnoughToPublish(log));
    const stamp = `costs-${machine.date.replace(/[:.]/g, "-")}`;
    const outDir = join(root, "bench", ".results");
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, `${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
    // The latest run under a fixed name, for the claims section of docs/BENCHMARKS.md (bench/claims.ts).
    await writeFile(
      join(outDir, "costs.json"),
      `${JSON.stringify({ ...results, summaries: summarise(results) }, null, 2)}\n`,
    );
    const docsDir = results.publishable ? join(root, "docs") : outDir;
    const chart = await writeChart(
      docsDir,
      "costs",
      barSpec(costsChart(summarise(results))),
      "Cost per 1M units, Crossdock against the platform minimum, per workload",
    );
    const reportPath = results.publishable ? join(docsDir, "BENCHMARKS.md") : join(outDir, `${stamp}.md`);
    await writeFile(
      reportPath,
      withSection(await readIfExists(reportPath), costsSection(results, chart), COSTS_MARKERS),
    );
    log(
      `report: ${relative(root, reportPath)}${results.publishable ? "" : " (smoke run or busy machine: docs/BENCHMARKS.md left alone)"}`,
    );
    log(`raw results: ${relative(root, join(outDir, `${stamp}.json`))}`);
    const analytics = summarise(results).find((s) => s.workload === "analytics events");
    return results.publishable && analytics?.verdict !== "missed" ? 0 : 1;
  } finally {
    await rt.dispose();
    await rm(tmp, { recursive: true, force: true });
  }
}

runMain(main);
