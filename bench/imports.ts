/**
 * `npm run bench:imports`: a 100,000-row NDJSON catalog through POST /v1/catalog/imports on crossdock's
 * production bundle in one local workerd — upload to R2, planner, chunk appliers on the real queue —
 * timed until the job has succeeded; against, in the same run and the same workerd, a bare bulk upsert
 * of the same rows into a fresh D1 database (same statement, same chunk size, no queue or R2). Samples
 * the workerd process's memory from /proc during the import. Writes bench/.results/imports-*.json and
 * the "Catalog imports" section of docs/BENCHMARKS.md (BENCH_IMPORT_ROWS below 100,000 is a smoke run
 * whose report goes to bench/.results instead).
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Miniflare } from "miniflare";
import { CHUNK_ROWS } from "../src/flows/catalog-import/chunks";
import { cpuSecondsOf, memoryOf, sampleRss, workerdPids } from "./imports/memory";
import { buildBenchWorker, buildCrossdock } from "./lib/build";
import { runMain } from "./lib/cli";
import { IMPORTS_MARKERS } from "./lib/doc-sections";
import { machineFacts } from "./lib/machine";
import { f0, f1 } from "./lib/markdown";
import { applyMigrations } from "./lib/migrations";
import { publishSection } from "./lib/publish-section";
import {
  benchMiniflare,
  bundleModules,
  crossdockWorker,
  crossdockWorkerOptions,
  directSocket,
  isErrorLog,
} from "./lib/runtime";
import { catalogFile } from "./seed/catalog-file";

process.env.WRANGLER_SEND_METRICS ??= "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";

const root = join(import.meta.dirname, "..");
const log = (message: string) => console.log(`[bench:imports] ${message}`);
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const TARGET_RATIO = 0.7;
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

async function addMerchant(db: D1Database, id: string, token?: string) {
  const now = Date.now();
  await db
    .prepare(
      "INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES (?, ?, 'Bench', 'merchant', NULL, ?)",
    )
    .bind(id, `${id}@bench.crossdock`, now)
    .run();
  if (token) {
    await db
      .prepare("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
      .bind(sha256(token), id, now, now + 86_400_000)
      .run();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<number> {
  const machine = machineFacts(root);
  const wranglerToml = join(root, "wrangler.toml");
  const tmp = await mkdtemp(join(tmpdir(), "crossdock-bench-imports-"));
  let mf: Miniflare | undefined;
  try {
    log("building the production bundle and the bare upsert worker (wrangler deploy --dry-run)");
    const { options, compat, assetsDirectory } = crossdockWorkerOptions(wranglerToml);
    const crossdock = await buildCrossdock(root, join(tmp, "crossdock"), assetsDirectory);
    const bare = await buildBenchWorker(
      root,
      join(tmp, "bare"),
      compat,
      join("bench", "imports", "wrangler.toml"),
      "bench/imports/bare-upsert.ts",
    );
    const errors: string[] = [];
    const consumerLog: string[] = [];
    mf = benchMiniflare(
      [
        crossdockWorker(options, crossdock),
        {
          ...compat,
          name: "bare",
          ...bundleModules(bare),
          d1Databases: { DB: "crossdock-bench-imports-bare" },
          unsafeDirectSockets: directSocket(),
        },
      ],
      (level, message) => {
        // BENCH_IMPORTS_LOG=<file> keeps the consumers' log lines, to see where the time goes.
        if (process.env.BENCH_IMPORTS_LOG && message.includes("catalog")) consumerLog.push(message);
        if (isErrorLog(level, message)) errors.push(message.slice(0, 500));
      },
    );
    const urls = {
      crossdock: await mf.unsafeGetDirectURL("crossdock"),
      bare: await mf.unsafeGetDirectURL("bare"),
    };
    const dbs = {
      crossdock: (await mf.getD1Database("DB", "crossdock")) as unknown as D1Database,
      bare: (await mf.getD1Database("DB", "bare")) as unknown as D1Database,
    };
    for (const db of Object.values(dbs)) await applyMigrations(db, join(root, "migrations"));
    const [pid] = workerdPids();
    if (pid === undefined) throw new Error("no workerd process found");

    const merchantId = "usr_bench_imports";
    const token = `cds_${randomBytes(32).toString("base64url")}`;
    await addMerchant(dbs.crossdock, merchantId, token);
    await addMerchant(dbs.bare, merchantId);
    const file = catalogFile(ROWS, merchantId);
    const body = Buffer.from(file);
    log(`${ROWS} rows, ${f1(body.length / 2 ** 20)} MiB of NDJSON; workerd pid ${pid}`);
    const idle = memoryOf(pid);

    // Crossdock first, so the process's high-water mark (VmHWM) read right after it is this import's.
    const sampler = sampleRss(pid);
    const cpu0 = cpuSecondsOf(pid);
    const t0 = performance.now();
    const res = await fetch(new URL("/v1/catalog/imports", urls.crossdock), {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson" },
      body,
    });
    const accepted = (await res.json()) as { id: string };
    if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${JSON.stringify(accepted)}`);
    const uploadMs = performance.now() - t0;
    const cpuUpload = cpuSecondsOf(pid);
    let job: { status: string; result: Record<string, number> | null; error: unknown };
    for (;;) {
      await sleep(200);
      job = (await (
        await fetch(new URL(`/v1/jobs/${accepted.id}`, urls.crossdock), {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as typeof job;
      if (job.status === "succeeded" || job.status === "failed") break;
    }
    const crossdockMs = performance.now() - t0;
    const peakRssMiB = sampler.stop();
    const cpuImport = cpuSecondsOf(pid);
    const afterImport = memoryOf(pid);
    if (job.status !== "succeeded") throw new Error(`import failed: ${JSON.stringify(job.error)}`);
    log(
      `crossdock: ${f0(ROWS / (crossdockMs / 1000))} rows/s (${f0(crossdockMs)} ms; upload ${f0(uploadMs)} ms)`,
    );

    const cpuBare0 = cpuSecondsOf(pid);
    const b0 = performance.now();
    const bareRes = await fetch(new URL(`/upsert?merchant=${merchantId}`, urls.bare), {
      method: "POST",
      body,
    });
    const bareBody = (await bareRes.json()) as { rows: number };
    const bareMs = performance.now() - b0;
    const cpuBare = cpuSecondsOf(pid);
    const spent = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a);
    const cpu = {
      upload: spent(cpu0, cpuUpload),
      crossdock: spent(cpu0, cpuImport),
      bare: spent(cpuBare0, cpuBare),
    };
    log(
      `workerd CPU: import ${cpu.crossdock?.toFixed(2)} s (upload ${cpu.upload?.toFixed(2)} s), bare ${cpu.bare?.toFixed(2)} s`,
    );
    if (bareBody.rows !== ROWS) throw new Error(`bare upserted ${bareBody.rows} rows`);
    log(`bare:      ${f0(ROWS / (bareMs / 1000))} rows/s (${f0(bareMs)} ms)`);

    const count = async (db: D1Database) =>
      (
        await db
          .prepare("SELECT count(*) AS n FROM products WHERE merchant_id = ?")
          .bind(merchantId)
          .first<{ n: number }>()
      )?.n;
    const stored = { crossdock: await count(dbs.crossdock), bare: await count(dbs.bare) };
    const rate = { crossdock: ROWS / (crossdockMs / 1000), bare: ROWS / (bareMs / 1000) };
    const ratio = rate.crossdock / rate.bare;
    const results = {
      machine,
      rows: ROWS,
      fileBytes: body.length,
      chunkRows: CHUNK_ROWS,
      queue: (options.queueConsumers as Record<string, unknown> | undefined)?.[
        "crossdock-catalog-import-chunks"
      ],
      ms: { crossdock: crossdockMs, upload: uploadMs, bare: bareMs },
      cpuSeconds: cpu,
      rate,
      ratio,
      stored,
      jobResult: job.result,
      memory: { idle, peakRssMiB, afterImport },
      errorLogs: errors.length,
    };
    log(
      `ratio ${ratio.toFixed(2)}x (target >= ${TARGET_RATIO}x); peak RSS ${f0(peakRssMiB)} MiB, VmHWM ${f0(afterImport?.hwmMiB ?? Number.NaN)} MiB`,
    );
    if (process.env.BENCH_IMPORTS_LOG) await writeFile(process.env.BENCH_IMPORTS_LOG, consumerLog.join("\n"));
    const stamp = `imports-${machine.date.replace(/[:.]/g, "-")}`;
    const outDir = join(root, "bench", ".results");
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, `${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
    const { refused } = await publishSection({
      root,
      stamp,
      markers: IMPORTS_MARKERS,
      body: importsSection(results),
      smoke: ROWS < 100_000,
      log,
    });
    const met = ratio >= TARGET_RATIO && stored.crossdock === ROWS && stored.bare === ROWS;
    return met && !refused ? 0 : 1;
  } finally {
    await mf?.dispose();
    await rm(tmp, { recursive: true, force: true });
  }
}

type Results = {
  machine: ReturnType<typeof machineFacts>;
  rows: number;
  fileBytes: number;
  chunkRows: number;
  queue: unknown;
  ms: { crossdock: number; upload: number; bare: number };
  cpuSeconds: { upload: number | null; crossdock: number | null; bare: number | null };
  rate: { crossdock: number; bare: number };
  ratio: number;
  stored: { crossdock: number | undefined; bare: number | undefined };
  memory: {
    idle: ReturnType<typeof memoryOf>;
    peakRssMiB: number;
    afterImport: ReturnType<typeof memoryOf>;
  };
  errorLogs: number;
};

function importsSection(r: Results): string {
  const q = r.queue as { maxBatchSize?: number; maxBatchTimeout?: number } | undefined;
  return [
    "## Catalog imports",
    "",
    `\`npm run bench:imports\`, ${r.machine.date.slice(0, 10)}, commit ${r.machine.gitCommit}, ${r.machine.nproc} CPUs ` +
      `(${r.machine.cpuModel}), workerd ${r.machine.workerd}, load average at start ${r.machine.loadAverage.join(" / ")}.`,
    "",
    `${r.rows.toLocaleString("en")} NDJSON rows (${f1(r.fileBytes / 2 ** 20)} MiB of demo products) uploaded through ` +
      "`POST /v1/catalog/imports` to crossdock's production bundle on local workerd, timed from the first byte sent " +
      "until `GET /v1/jobs/:id` says succeeded: upload to R2, the planner cutting the file into chunks of " +
      `${r.chunkRows.toLocaleString("en")} rows (byte ranges of the upload, found by scanning it for line breaks), and the chunk consumers on the real local queue ` +
      `(max_batch_size ${q?.maxBatchSize}, max_batch_timeout ${q?.maxBatchTimeout} s). The baseline, in the same run ` +
      "and the same workerd, POSTs the same file to a bare worker that upserts the rows into a fresh D1 database with " +
      "the same statement and chunk size, one batch per chunk: no R2, queue, validation, job or bookkeeping. The planner " +
      "records chunks in groups of IMPORT_PLAN_GROUP_CHUNKS as it reads, and the chunks (on their own queue) are " +
      "applied meanwhile. workerd CPU is the process's user + system time (/proc) over each side's wall time: one " +
      "workerd thread runs every worker, D1 and R2 here, so the import's wall time is bounded by its CPU.",
    "",
    "| | crossdock import | bare bulk upsert |",
    "| --- | --- | --- |",
    `| rows/s | **${f0(r.rate.crossdock)}** | ${f0(r.rate.bare)} |`,
    `| wall time | ${f0(r.ms.crossdock)} ms (upload answered 202 after ${f0(r.ms.upload)} ms) | ${f0(r.ms.bare)} ms |`,
    `| workerd CPU | ${r.cpuSeconds.crossdock?.toFixed(2)} s (upload ${r.cpuSeconds.upload?.toFixed(2)} s) | ${r.cpuSeconds.bare?.toFixed(2)} s |`,
    `| rows stored | ${r.stored.crossdock} | ${r.stored.bare} |`,
    "",
    `Ratio **${r.ratio.toFixed(2)}x** (target ≥ ${TARGET_RATIO}x): ${r.ratio >= TARGET_RATIO ? "met" : "NOT met"}.`,
    "",
    `Memory of the workerd process (all workers, one process), from /proc: ${f0(r.memory.idle?.rssMiB ?? Number.NaN)} MiB RSS ` +
      `before the upload; peak RSS sampled every 100 ms during the import **${f0(r.memory.peakRssMiB)} MiB**; VmHWM (peak ` +
      `since the process started) right after it ${f0(r.memory.afterImport?.hwmMiB ?? Number.NaN)} MiB. The ` +
      `${f1(r.fileBytes / 2 ** 20)} MiB file is streamed to R2, scanned back as a stream by the planner, and read one chunk's byte range at a time by the appliers.`,
    "",
    `Error log lines during the run: ${r.errorLogs}.`,
    ...(r.machine.loadAverage[0]! > r.machine.nproc
      ? [
          "",
          `The machine was busy (1-minute load average ${r.machine.loadAverage[0]} on ${r.machine.nproc} CPUs) with ` +
            "other jobs: both sides ran under the same load, but the absolute figures are noisy.",
        ]
      : []),
  ].join("\n");
}

runMain(main);
