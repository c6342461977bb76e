/**
 * The production bundle's startup time, checked by `npm run build` after the size budget: how much longer
 * workerd takes to start dist/index.js and answer its first request than to do the same for a hello-world
 * worker with the same compatibility settings and vars, measured in the same run. Cloudflare times the global
 * scope's evaluation when a version is uploaded and refuses one over its limit; this catches a regression
 * before that, in CI.
 *
 * Method: each round starts both workers, alternating which goes first, each in a fresh Miniflare (one
 * workerd process), and reads the process's CPU time from /proc once the first response (GET /problems)
 * is back. Workerd's own clocks stand still during synchronous code, so the time is taken from outside;
 * CPU rather than wall time, because wall time here also counts Miniflare serialising the 2 MB script
 * in Node and whatever else the shared machine runs. The difference is parse, compile, module-scope
 * work and the first request's lazy compilation: what Cloudflare counts, plus a little. The wall-clock
 * difference is printed beside it, not judged. scripts/startup-time/judge.ts gives the verdict.
 *
 * `tsx scripts/startup-time.ts [bundle]` prints one line and exits 1 past the budget. Linux only (/proc):
 * elsewhere it says so and exits 0.
 */
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import type { V4ModuleDefinition, V4WorkerOptions } from "miniflare";
import { runMain } from "../bench/lib/cli";
import { WorkerdCpu } from "../bench/lib/cpu";
import { benchMiniflare, bundleModules, crossdockWorkerOptions } from "../bench/lib/runtime";
import { median } from "../bench/lib/stats";
import { judgeStartup, STARTUP_ROUNDS, startupLine } from "./startup-time/judge";

process.env.WRANGLER_SEND_METRICS ??= "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";

interface Start {
  cpuMs: number;
  wallMs: number;
}

/** Starts one worker alone in a fresh workerd and times it to its first response. */
async function timeStart(worker: V4WorkerOptions): Promise<Start> {
  const t0 = performance.now();
  const errors: string[] = [];
  const mf = benchMiniflare([worker], (level, message) => {
    if (level === "error") errors.push(message);
  });
  try {
    const res = await mf.dispatchFetch("http://localhost/problems", {
      headers: { accept: "application/json" },
    });
    await res.arrayBuffer();
    const wallMs = performance.now() - t0;
    const cpuSeconds = new WorkerdCpu().seconds();
    if (!res.ok) throw new Error(`GET /problems answered ${res.status}: ${errors.join("\n")}`);
    if (cpuSeconds === null) throw new Error("could not read workerd's CPU time from /proc");
    return { cpuMs: cpuSeconds * 1000, wallMs };
  } finally {
    await mf.dispose();
  }
}

/** The baseline: a worker that answers every request with "ok" and does nothing at module scope. */
const HELLO_WORLD = `export default { fetch() { return new Response("ok"); } };`;

async function main(): Promise<number> {
  if (process.platform !== "linux") {
    console.log("startup time not measured: workerd's CPU time is read from /proc (Linux only)");
    return 0;
  }
  const root = join(import.meta.dirname, "..");
  const bundle = process.argv[2] ?? join(root, "dist", "index.js");
  // Both workers get wrangler.toml's compatibility settings and vars but no D1, queue or Durable Object
  // bindings: Cloudflare's startup time is the script's own, and setting up local stand-ins for a dozen
  // queues and six Durable Object namespaces would double each start's cost and noise for both alike.
  const { options, compat } = crossdockWorkerOptions(join(root, "wrangler.toml"));
  const worker = (modules: { modules: V4ModuleDefinition[]; modulesRoot: string }): V4WorkerOptions => ({
    ...compat,
    name: "startup",
    bindings: options.bindings,
    ...modules,
  });
  const workers = {
    crossdock: worker(bundleModules(bundle)),
    hello: worker({
      modulesRoot: dirname(bundle),
      modules: [{ type: "ESModule", path: join(dirname(bundle), "hello-world.js"), contents: HELLO_WORLD }],
    }),
  };

  // One start of each first, unmeasured: the first workerd of a run also pays for reading its binary from disk.
  for (const w of Object.values(workers)) await timeStart(w);
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let round = 0; round < STARTUP_ROUNDS; round++) {
    const order = round % 2 === 0 ? (["crossdock", "hello"] as const) : (["hello", "crossdock"] as const);
    const got: Partial<Record<keyof typeof workers, Start>> = {};
    for (const which of order) got[which] = await timeStart(workers[which]);
    cpu.push(got.crossdock!.cpuMs - got.hello!.cpuMs);
    wall.push(got.crossdock!.wallMs - got.hello!.wallMs);
  }
  const judgement = judgeStartup(cpu);
  console.log(startupLine(judgement, STARTUP_ROUNDS, median(wall)));
  if (judgement.failure) console.error(`✖ ${judgement.failure}`);
  return judgement.failure ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) runMain(main);
