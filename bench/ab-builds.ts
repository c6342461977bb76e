/**
 * `npx tsx bench/ab-builds.ts <bundle-a.js> <bundle-b.js> [scenario] [rounds] [seconds]`: two builds of
 * crossdock (e.g. before and after a change, each from `wrangler deploy --dry-run --outdir`) in one
 * workerd on one D1, driven by the same scenario in interleaved rounds. Prints each round and the
 * b ÷ a ratios of throughput and of workerd CPU per request with 95% intervals. A development tool for
 * "did this change help", measured the way `npm run bench` measures; it writes nothing.
 */
import { loadavg } from "node:os";
import { join } from "node:path";
import { runMain } from "./lib/cli";
import { WorkerdCpu } from "./lib/cpu";
import { pairedRatioEstimate } from "./lib/intervals";
import { runLoad } from "./lib/load";
import { intervalText, times } from "./lib/markdown";
import { applyMigrations } from "./lib/migrations";
import { benchMiniflare, crossdockWorker, crossdockWorkerOptions } from "./lib/runtime";
import { scenarios } from "./scenarios";
import { Fixtures } from "./seed/fixtures";

process.env.WRANGLER_SEND_METRICS ??= "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
const root = join(import.meta.dirname, "..");

async function main(): Promise<number> {
  const [a, b, name = "me", rounds = "6", seconds = "5"] = process.argv.slice(2);
  const scenario = scenarios.find((s) => s.name === name);
  if (!a || !b || !scenario)
    throw new Error("usage: tsx bench/ab-builds.ts <a.js> <b.js> [scenario] [rounds] [s]");
  const { options } = crossdockWorkerOptions(join(root, "wrangler.toml"));
  const mf = benchMiniflare(
    [
      { ...crossdockWorker(options, a), name: "a" },
      // One consumer per queue: the second build only answers HTTP.
      { ...crossdockWorker(options, b), name: "b", queueConsumers: undefined },
    ],
    () => {},
  );
  try {
    const urls = { a: await mf.unsafeGetDirectURL("a"), b: await mf.unsafeGetDirectURL("b") };
    const db = (await mf.getD1Database("DB", "a")) as unknown as D1Database;
    await applyMigrations(db, join(root, "migrations"));
    const products = Number(process.env.BENCH_PRODUCTS ?? 100_000);
    const requests = await scenario.setup({ db, fixtures: new Fixtures(db, products) });
    const cpu = new WorkerdCpu();
    const load = { connections: 16, durationSec: Number(seconds) };
    for (const url of [urls.a, urls.b]) await runLoad(url, requests, { ...load, durationSec: 2 });
    const ratios = { rps: [] as number[], cpu: [] as number[], node: [] as number[] };
    for (let round = 1; round <= Number(rounds); round++) {
      const order = round % 2 === 1 ? (["a", "b"] as const) : (["b", "a"] as const);
      const got: Record<string, { rps: number; cpuUs: number; nodeUs: number }> = {};
      for (const which of order) {
        const before = cpu.seconds() ?? Number.NaN;
        const nodeBefore = process.cpuUsage();
        const run = await runLoad(urls[which], requests, load);
        const cpuUs = (((cpu.seconds() ?? Number.NaN) - before) * 1e6) / run.total;
        const node = process.cpuUsage(nodeBefore);
        // This process is the load generator and also parses every log line workerd writes.
        const nodeUs = (node.user + node.system) / run.total;
        got[which] = { rps: run.requestsPerSec, cpuUs, nodeUs };
        const failed = run.non2xx + run.errors + run.timeouts;
        console.log(
          `round ${round} ${which}: ${Math.round(run.requestsPerSec)} req/s, workerd ${Math.round(cpuUs)} µs/request, node ${Math.round(nodeUs)} µs/request` +
            `${failed ? `, ${failed} failed` : ""}, load ${loadavg()[0]!.toFixed(2)}`,
        );
      }
      ratios.rps.push(got.b!.rps / got.a!.rps);
      ratios.cpu.push(got.b!.cpuUs / got.a!.cpuUs);
      ratios.node.push(got.b!.nodeUs / got.a!.nodeUs);
    }
    const rps = pairedRatioEstimate(ratios.rps);
    const cpuRatio = pairedRatioEstimate(ratios.cpu);
    console.log(`b ÷ a throughput ${times(rps.ratio)} ${intervalText(rps)}`);
    console.log(`b ÷ a workerd CPU per request ${times(cpuRatio.ratio)} ${intervalText(cpuRatio)}`);
    const nodeRatio = pairedRatioEstimate(ratios.node);
    console.log(
      `b ÷ a node (load generator + log reader) CPU per request ${times(nodeRatio.ratio)} ${intervalText(nodeRatio)}`,
    );
    return 0;
  } finally {
    await mf.dispose();
  }
}

runMain(main);
