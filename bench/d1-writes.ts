/**
 * `npm run bench:d1`: where one D1 database saturates under Crossdock's own write shapes. One local
 * workerd (Miniflare, the D1 simulator `npm start` runs) hosts a bench worker (bench/d1-writes/worker.ts)
 * that calls each flow's real statement builders from N loops at once for a fixed window; N rises until
 * throughput stops rising. Rounds repeat the sweep, flows interleaved within each level, so drift hits
 * every flow alike. Writes bench/.results/d1-writes.json (read by `npm run capacity --
 * --d1-write-ceiling-from`) and the "D1 write ceiling" section of docs/BENCHMARKS.md.
 *
 * Settings: BENCH_D1_ROUNDS (5), BENCH_D1_WINDOW_MS (3000), BENCH_D1_LANES ("1,2,4,8,16,32");
 * `--smoke` (3 levels, 2 rounds, 700 ms windows, under a minute) never touches docs/BENCHMARKS.md.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { Miniflare } from "miniflare";
import { CONSUMER_BATCH, FLOWS, type Flow, OPERATION } from "./d1-writes/flows";
import { ceilingOf, summariseFlow, type Window } from "./d1-writes/knee";
import { d1WritesSection } from "./d1-writes/report";
import type { WindowResult } from "./d1-writes/worker";
import { buildBenchWorker } from "./lib/build";
import { intEnv, runMain, stepLogger } from "./lib/cli";
import { D1_WRITES_MARKERS } from "./lib/doc-sections";
import { judgeLoad, loadGuardSettings } from "./lib/load-guard";
import { machineFacts } from "./lib/machine";
import { f0 } from "./lib/markdown";
import { applyMigrations } from "./lib/migrations";
import { sampleOutsideLoad } from "./lib/outside-load";
import { publishSection } from "./lib/publish-section";
import {
  benchMiniflare,
  bundleModules,
  crossdockWorkerOptions,
  directSocket,
  isErrorLog,
} from "./lib/runtime";

process.env.WRANGLER_SEND_METRICS ??= "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";

const root = join(import.meta.dirname, "..");
const log = stepLogger("d1");
const smoke = process.argv.includes("--smoke");

function lanesEnv(fallback: number[]): number[] {
  const raw = process.env.BENCH_D1_LANES;
  if (!raw) return fallback;
  const lanes = raw.split(",").map(Number);
  if (lanes.some((n) => !Number.isInteger(n) || n < 1 || n > 512))
    throw new Error(`BENCH_D1_LANES must be whole numbers from 1 to 512, got '${raw}'`);
  return [...new Set(lanes)].sort((a, b) => a - b);
}

export const config = {
  smoke,
  rounds: intEnv("BENCH_D1_ROUNDS", smoke ? 2 : 5),
  windowMs: intEnv("BENCH_D1_WINDOW_MS", smoke ? 700 : 3000),
  lanes: lanesEnv(smoke ? [1, 4, 16] : [1, 2, 4, 8, 16, 32]),
  consumerBatch: CONSUMER_BATCH,
};

async function window(url: URL, flow: Flow, lanes: number, ms: number): Promise<WindowResult> {
  const res = await fetch(new URL("/run", url), {
    method: "POST",
    signal: AbortSignal.timeout(ms + 120_000),
    body: JSON.stringify({ flow, lanes, ms }),
  });
  if (!res.ok) throw new Error(`window ${flow}×${lanes} failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as WindowResult;
}

async function main(): Promise<number> {
  const machine = machineFacts(root);
  const tmp = await mkdtemp(join(tmpdir(), "crossdock-bench-d1-"));
  let mf: Miniflare | undefined;
  try {
    log("building the bench worker on crossdock's settings (wrangler deploy --dry-run)");
    const { options, compat } = crossdockWorkerOptions(join(root, "wrangler.toml"));
    const bundle = await buildBenchWorker(
      root,
      join(tmp, "worker"),
      compat,
      join("bench", "d1-writes", "wrangler.toml"),
      "bench/d1-writes/worker.ts",
    );
    const errors: string[] = [];
    mf = benchMiniflare(
      [
        {
          ...compat,
          name: "d1-writes",
          ...bundleModules(bundle),
          d1Databases: options.d1Databases,
          bindings: options.bindings,
          unsafeDirectSockets: directSocket(),
        },
      ],
      (level, message) => {
        if (isErrorLog(level, message)) errors.push(message.slice(0, 500));
      },
    );
    const url = await mf.unsafeGetDirectURL("d1-writes");
    await applyMigrations(
      (await mf.getD1Database("DB", "d1-writes")) as unknown as D1Database,
      join(root, "migrations"),
    );

    // Warm-up: the isolate's first calls compile and fill caches; not counted.
    for (const flow of FLOWS) await window(url, flow, 4, Math.min(500, config.windowMs));
    const windows: Window[] = [];
    const outsideLoad = [await sampleOutsideLoad()];
    for (let round = 0; round < config.rounds; round++) {
      for (const lanes of config.lanes) {
        // Rotate the flows' order each level and round, so no flow always runs on the fuller database.
        const k = (round + config.lanes.indexOf(lanes)) % FLOWS.length;
        const order = [...FLOWS.slice(k), ...FLOWS.slice(0, k)];
        for (const flow of order) {
          const w = await window(url, flow, lanes, config.windowMs);
          windows.push({ ...w, round });
          const rate = (n: number) => f0((n / w.wallMs) * 1000);
          log(
            `round ${round + 1}/${config.rounds} ${flow.padEnd(11)} ×${String(lanes).padEnd(3)} ` +
              `${rate(w.batches)} batches/s, ${rate(w.rowsWritten)} rows/s` +
              (w.failedBatches > 0 || w.firstError ? `, ${w.failedBatches} failed: ${w.firstError}` : ""),
          );
        }
      }
      outsideLoad.push(await sampleOutsideLoad());
    }

    const flows = FLOWS.map((f) => summariseFlow(f, windows, OPERATION[f].perCall));
    const ceiling = ceilingOf(flows);
    const judgement = judgeLoad(outsideLoad, loadGuardSettings(process.env));
    for (const s of flows)
      log(
        `${s.flow}: knee at ×${s.kneeLanes}: ${f0(s.batchesPerS.ratio)} batches/s, ${f0(s.rowsPerS.ratio)} rows/s ` +
          `[${f0(s.rowsPerS.interval?.low ?? Number.NaN)}, ${f0(s.rowsPerS.interval?.high ?? Number.NaN)}], ` +
          `${s.rowsPerOperation.toFixed(2)} rows per ${OPERATION[s.flow].name}`,
      );
    log(`ceiling: ${f0(ceiling.rowsPerS)} rows/s per database (${ceiling.basis})`);
    log(judgement.summary);

    const outDir = join(root, "bench", ".results");
    await mkdir(outDir, { recursive: true });
    // A smoke run keeps its own file, so it never replaces the full run that capacity reads.
    const jsonPath = join(outDir, smoke ? "d1-writes-smoke.json" : "d1-writes.json");
    const result = { config, machine, outsideLoad, judgement, ceiling, flows, windows, workerErrors: errors };
    await writeFile(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
    log(`raw results: ${relative(root, jsonPath)}`);

    const stamp = `d1-writes-${machine.date.replaceAll(/[:.]/g, "-")}`;
    const body = await d1WritesSection(join(root, "docs"), { config, machine, judgement, ceiling, flows });
    const { refused } = await publishSection({ root, stamp, markers: D1_WRITES_MARKERS, body, smoke, log });
    const failed = flows.reduce((s, f) => s + f.failedBatches, 0);
    if (failed > 0 || errors.length > 0) {
      console.error(`[bench:d1] ${failed} failed batches; worker errors: ${errors.slice(0, 3).join(" | ")}`);
      return 1;
    }
    return refused ? 1 : 0;
  } finally {
    await mf?.dispose();
    await rm(tmp, { recursive: true, force: true });
  }
}

runMain(main);
