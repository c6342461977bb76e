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
import { benchMiniflare, crossdockWorker, crossdockWorkerOptions } from "./lib/runtime";
import { scenarios } from "./scenarios";
import { Fixtures } from "./seed/fixtures";

process.env.WRANGLER_SEND_METRICS ??= "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";

const root = join(import.meta.dirname, "..");
const INSPECTOR_PORT = 9_331;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A minimal Chrome DevTools Protocol client over the inspector's WebSocket. */
async function inspector(url: string) {
  const ws = new WebSocket(url);
  await new Promise((ok, fail) => {
    ws.addEventListener("open", ok);
    ws.addEventListener("error", fail);
  });
  let next = 1;
  const pending = new Map<number, (result: unknown) => void>();
  ws.addEventListener("message", (event: MessageEvent) => {
    const msg = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
  });
  return {
    send: <T>(method: string, params: object = {}) =>
      new Promise<T>((ok) => {
        const id = next++;
        pending.set(id, ok as (r: unknown) => void);
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

/** Self time per function and per area (the bundle inlines every package; areas come from the name). */
function summarise(profile: Profile): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (const [i, id] of profile.samples.entries()) {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const rows = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 40);
  return rows.map(([k, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`).join("\n");
}

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
    const targets = (await (await fetch(`http://127.0.0.1:${INSPECTOR_PORT}/json`)).json()) as {
      webSocketDebuggerUrl: string;
      title: string;
    }[];
    const target = targets.find((t) => t.title.includes("crossdock")) ?? targets[0]!;
    const cdp = await inspector(target.webSocketDebuggerUrl);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
    await cdp.send("Profiler.start");
    const run = await runLoad(url, requests, { connections: 16, durationSec: Number(seconds) });
    const { profile } = await cdp.send<{ profile: Profile }>("Profiler.stop");
    cdp.close();
    const out = join(root, "bench", ".results", `profile-${name}.cpuprofile`);
    await writeFile(out, JSON.stringify(profile));
    console.log(`${Math.round(run.requestsPerSec)} req/s over ${run.total} requests; profile: ${out}`);
    console.log(summarise(profile));
    return 0;
  } finally {
    await mf.dispose();
    if (process.env.BENCH_KEEP_BUNDLE) console.log(`bundle kept: ${bundle}`);
    else await rm(tmp, { recursive: true, force: true });
  }
}

runMain(main);
