/**
 * `npm run bench:events`: the event backbone on crossdock's production bundle in one local workerd —
 * relay latency (commit → queue) of real sign-ups, and the drain rate of the user-stats consumer through
 * the full consumer runtime against a bare consumer doing the same D1 writes, in the same run.
 * Writes bench/.results/events-*.json and the "Event backbone" section of docs/BENCHMARKS.md.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { isSmokeEventsRun, readEventsConfig } from "./events/config";
import { type DrainRun, measureDrain } from "./events/drain";
import type { LoadTarget as Target } from "./events/names";
import { measureRelay } from "./events/relay";
import { eventsSection } from "./events/report";
import { type EventsRuntime, startEventsRuntime } from "./events/runtime";
import { type DrainRound, type EventsResults, summariseEvents } from "./events/summary";
import { buildBenchWorker, buildCrossdock } from "./lib/build";
import { runMain } from "./lib/cli";
import { WorkerdCpu } from "./lib/cpu";
import { EVENTS_MARKERS } from "./lib/doc-sections";
import { machineFacts } from "./lib/machine";
import { f0, f1, times, timesWithInterval } from "./lib/markdown";
import { applyMigrations } from "./lib/migrations";
import { publishSection } from "./lib/publish-section";
import { crossdockWorkerOptions } from "./lib/runtime";

// Keep wrangler and Miniflare off the network: the run is local by design.
process.env.WRANGLER_SEND_METRICS ??= "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";

const root = join(import.meta.dirname, "..");
const log = (message: string) => console.log(`[bench:events] ${message}`);

async function main(): Promise<number> {
  const config = readEventsConfig();
  const machine = machineFacts(root);
  const wranglerToml = join(root, "wrangler.toml");
  const tmp = await mkdtemp(join(tmpdir(), "crossdock-bench-events-"));
  let rt: EventsRuntime | undefined;
  try {
    log("building the production bundle, the bare consumer and the loader (wrangler deploy --dry-run)");
    const { compat, assetsDirectory } = crossdockWorkerOptions(wranglerToml);
    const benchConfig = join("bench", "events", "wrangler.toml");
    const bundles = {
      crossdock: await buildCrossdock(root, join(tmp, "crossdock"), assetsDirectory),
      bare: await buildBenchWorker(
        root,
        join(tmp, "bare"),
        compat,
        benchConfig,
        "bench/events/bare-consumer.ts",
      ),
      loader: await buildBenchWorker(
        root,
        join(tmp, "loader"),
        compat,
        benchConfig,
        "bench/events/loader.ts",
      ),
    };
    rt = await startEventsRuntime(wranglerToml, bundles, (m) => console.error(`[workerd error] ${m}`));
    const batchSize = rt.queueSettings.maxBatchSize ?? 1;
    if (config.messages % batchSize !== 0) {
      throw new Error(
        `BENCH_EVENTS_MESSAGES must be a multiple of max_batch_size (${batchSize}): a partial last batch waits max_batch_timeout.`,
      );
    }
    log(`migrations applied (${await applyMigrations(rt.db, join(root, "migrations"))} statements)`);

    log(`relay: ${config.signups} sign-ups, ${config.concurrency} in flight`);
    const relay = await measureRelay(rt, config);
    log(
      `relay: commit → published p50 ${f1(relay.relayLogMs.p50)} ms, p99 ${f1(relay.relayLogMs.p99)} ms ` +
        `(${relay.relayLogMs.count} events); request arrival → published p99 ${f1(relay.outboxLatencyMs.p99)} ms`,
    );

    const cpu = new WorkerdCpu();
    const rounds: DrainRound[] = [];
    for (let round = 1; round <= config.rounds; round++) {
      const order: readonly Target[] = round % 2 === 1 ? ["crossdock", "bare"] : ["bare", "crossdock"];
      const runs: Partial<Record<Target, DrainRun>> = {};
      for (const target of order) {
        const run = await measureDrain(rt, target, config, cpu);
        runs[target] = run;
        log(
          `drain: round ${round}/${config.rounds} ${target.padEnd(9)} ${f0(run.eventsPerSec)} events/s ` +
            `(${f0(run.drainMs)} ms; loaded in ${f0(run.loadMs)} ms)`,
        );
      }
      rounds.push({ round, order, runs: runs as Record<Target, DrainRun> });
    }

    const results: EventsResults = {
      config,
      machine,
      queueSettings: rt.queueSettings,
      relay,
      rounds,
      logCounts: Object.fromEntries(rt.logCounts),
    };
    const s = summariseEvents(results);
    log(
      `drain medians: crossdock ${f0(s.rate.crossdock)} events/s, bare ${f0(s.rate.bare)} events/s, ratio ${times(s.drainRatio)}; per-round ratios ${timesWithInterval(s.drainEstimate)} ${s.drainVerdict}`,
    );
    const stamp = `events-${machine.date.replace(/[:.]/g, "-")}`;
    const outDir = join(root, "bench", ".results");
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, `${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
    const { refused } = await publishSection({
      root,
      stamp,
      markers: EVENTS_MARKERS,
      body: eventsSection(results),
      smoke: isSmokeEventsRun(config),
      log,
    });
    log(`raw results: ${relative(root, join(outDir, `${stamp}.json`))}`);
    // Exit 1 on a missed goal; an inconclusive drain ratio is not a failure, the report says what it is.
    const failed = !Object.values(s.met).every(Boolean) || s.drainVerdict === "missed";
    return failed || refused ? 1 : 0;
  } finally {
    await rt?.dispose();
    await rm(tmp, { recursive: true, force: true });
  }
}

runMain(main);
