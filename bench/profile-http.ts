/**
 * `npm run bench:profile -- <scenario> [seconds]`: a V8 CPU profile of crossdock's production bundle
 * under one scenario's load, taken through workerd's inspector, summarised as self time per function
 * (top 40). For finding where a scenario's per-request CPU goes; not a benchmark. With the inspector
 * attached, workerd slows down (about 4×) and console.log costs far more than without it (V8 hands
 * each message to the inspector): read the log line's share from bench/ab-builds.ts instead.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCrossdock } from "./lib/build";
import { runMain } from "./lib/cli";
import { runLoad } from "./lib/load";
import { applyMigrations } from "./lib/migrations";
import { startProfiler, summariseProfile } from "./lib/profiler";
import { benchMiniflare, crossdockWorker, crossdockWorkerOptions } from "./lib/runtime";
import { scenarios } from "./scenarios";
import { Fixtures } from "./seed/fixtures";

process.env.WRANGLER_SEND_METRICS ??= "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";

const root = join(import.meta.dirname, "..");
const INSPECTOR_PORT = 9_331;

async function main(): Promise<number> {
  const [name = "me", seconds = "10"] = process.argv.slice(2);
  const scenario = scenarios.find((s) => s.name === name);
  if (!scenario) throw new Error(`unknown scenario ${name}`);
  const tmp = await mkdtemp(join(tmpdir(), "crossdock-profile-"));
  const wranglerToml = join(root, "wrangler.toml");
  const { options, assetsDirectory } = crossdockWorkerOptions(wranglerToml);
  const bundle = await buildCrossdock(root, join(tmp, "crossdock"), assetsDirectory);
  const mf = benchMiniflare([crossdockWorker(options, bundle)], () => {}, { inspectorPort: INSPECTOR_PORT });
  try {
    const url = await mf.unsafeGetDirectURL("crossdock");
    const db = (await mf.getD1Database("DB", "crossdock")) as unknown as D1Database;
    await applyMigrations(db, join(root, "migrations"));
    const requests = await scenario.setup({
      db,
      fixtures: new Fixtures(db, Number(process.env.BENCH_PRODUCTS ?? 100_000)),
    });
    await runLoad(url, requests, { connections: 16, durationSec: 2 });
    const profiler = await startProfiler(INSPECTOR_PORT);
    const run = await runLoad(url, requests, { connections: 16, durationSec: Number(seconds) });
    const profile = await profiler.stop();
    const out = join(root, "bench", ".results", `profile-${name}.cpuprofile`);
    await writeFile(out, JSON.stringify(profile));
    console.log(`${Math.round(run.requestsPerSec)} req/s over ${run.total} requests; profile: ${out}`);
    console.log(summariseProfile(profile));
    return 0;
  } finally {
    await mf.dispose();
    if (process.env.BENCH_KEEP_BUNDLE) console.log(`bundle kept: ${bundle}`);
    else await rm(tmp, { recursive: true, force: true });
  }
}

runMain(main);
