/**
 * `npm run bench:overhead [-- <bundle.js> ...]`: what crossdock's own code costs per `GET /v1/me`, with
 * no HTTP and no D1 in the way (bench/overhead-worker/). Each build runs in its own worker of one
 * workerd, in interleaved rounds against the same-SQL baseline's handler in the first build's isolate;
 * each round's figure is workerd CPU per call, and crossdock's excess is its figure minus the
 * baseline's in the same round. With no bundle it builds this checkout; to price a piece of the
 * pipeline, build a variant without it from another worktree (`npx wrangler deploy
 * bench/overhead-worker/index.ts --dry-run --outdir <dir>`) and pass both. A development tool like
 * bench/ab-builds.ts: it prints, and writes nothing.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCrossdock } from "./lib/build";
import { intEnv, runMain } from "./lib/cli";
import { WorkerdCpu } from "./lib/cpu";
import { medianInterval } from "./lib/intervals";
import { f1 } from "./lib/markdown";
import { benchMiniflare, crossdockWorker, crossdockWorkerOptions } from "./lib/runtime";
import { median } from "./lib/stats";

process.env.WRANGLER_SEND_METRICS ??= "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
const root = join(import.meta.dirname, "..");

async function main(): Promise<number> {
  const calls = intEnv("BENCH_OVERHEAD_CALLS", 8000);
  const rounds = intEnv("BENCH_OVERHEAD_ROUNDS", 12);
  const { options, assetsDirectory } = crossdockWorkerOptions(join(root, "wrangler.toml"));
  const tmp = await mkdtemp(join(tmpdir(), "crossdock-overhead-"));
  let lines = 0;
  try {
    const given = process.argv.slice(2);
    const bundles =
      given.length > 0 ? given : [await buildCrossdock(root, tmp, assetsDirectory, OVERHEAD_ENTRY)];
    const mf = benchMiniflare(
      bundles.map((bundle, i) => ({
        ...crossdockWorker(options, bundle),
        name: `build-${i}`,
        // One consumer per queue: the other builds only answer the loop.
        ...(i > 0 && { queueConsumers: undefined }),
      })),
      () => lines++,
    );
    try {
      const urls = await Promise.all(bundles.map((_, i) => mf.unsafeGetDirectURL(`build-${i}`)));
      const cpu = new WorkerdCpu();
      const perCall = async (url: URL, which: "crossdock" | "same-sql") => {
        const before = cpu.seconds();
        const res = await fetch(new URL(`/__overhead?n=${calls}&which=${which}`, url));
        const { ok } = (await res.json()) as { ok: number };
        if (ok !== calls) throw new Error(`${which}: ${ok} of ${calls} calls answered 200`);
        const after = cpu.seconds();
        if (before === null || after === null) throw new Error("workerd's CPU time is not readable here");
        return ((after - before) * 1e6) / calls;
      };
      // Warm-up: every path compiled and every per-isolate cache filled before anything counts.
      for (let i = 0; i < 2; i++) {
        for (const url of urls) {
          await perCall(url, "crossdock");
          await perCall(url, "same-sql");
        }
      }
      const baseline: number[] = [];
      const builds = bundles.map(() => [] as number[]);
      for (let round = 0; round < rounds; round++) {
        const runs = [
          () => perCall(urls[0]!, "same-sql").then((us) => baseline.push(us)),
          ...urls.map((url, i) => () => perCall(url, "crossdock").then((us) => builds[i]!.push(us))),
        ];
        // Alternate the order, so a slow spell of the machine does not always land on the same side.
        for (const run of round % 2 === 0 ? runs : runs.reverse()) await run();
      }
      console.log(`${rounds} rounds of ${calls} GET /v1/me calls per build; workerd CPU µs per call.`);
      console.log(`same-SQL handler: median ${f1(median(baseline))} µs`);
      bundles.forEach((bundle, i) => {
        const excess = builds[i]!.map((us, k) => us - baseline[k]!);
        const interval = medianInterval(excess);
        const range = interval ? `[${f1(interval.low)}, ${f1(interval.high)}]` : "[no interval]";
        console.log(
          `build ${i} (${bundle}): median ${f1(median(builds[i]!))} µs; excess over same SQL ${f1(median(excess))} µs ${range}`,
        );
      });
      console.log(`(worker log lines during the run: ${lines})`);
      return 0;
    } finally {
      await mf.dispose();
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

const OVERHEAD_ENTRY = join("bench", "overhead-worker", "index.ts");

runMain(main);
