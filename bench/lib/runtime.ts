import { dirname } from "node:path";
import {
  convertV4MiniflareOptions,
  Miniflare,
  type V4WorkerOptions,
  type V4WorkerOptionsShape,
} from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import type { Compatibility } from "./build";
import type { Target } from "./targets";

export interface BenchRuntime {
  /** Each worker's own socket on 127.0.0.1, so no router worker sits in front of either. */
  urls: Record<Target, URL>;
  /** The D1 database both workers are bound to, for migrations and seeding from Node. */
  db: D1Database;
  /** Log lines the workers wrote, by level: crossdock writes one per request, the baselines none. */
  logCounts: Map<string, number>;
  dispose(): Promise<void>;
}

/**
 * Crossdock's compatibility settings and bindings, read from wrangler.toml as `wrangler dev` reads them.
 * `options` leaves the static assets out: /v1 paths never match one, and the asset router in front of a
 * worker is platform cost that the baseline would not pay. `assets` is that setting, for a server that
 * serves pages (/docs loads its script from the assets).
 */
export function crossdockWorkerOptions(wranglerToml: string) {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(wranglerToml);
  const { assets, ...rest } = workerOptions;
  // Wrangler types these as Omit<V4WorkerOptions, …>, and Omit over an index signature loses the known
  // keys; the values are V4WorkerOptions fields all the same.
  const options = rest as V4WorkerOptionsShape;
  if (!options.compatibilityDate) throw new Error("wrangler.toml sets no compatibility_date");
  const compat: Compatibility = {
    compatibilityDate: options.compatibilityDate,
    compatibilityFlags: options.compatibilityFlags ?? [],
  };
  // Benchmarks measure production behaviour: fault injection stays off, whatever a developer's
  // .dev.vars (which wrangler reads here) says.
  options.bindings = { ...(options.bindings ?? {}), FAULTS_ENABLED: "false" };
  const assetsDirectory = (assets as { directory?: string } | undefined)?.directory;
  return { options, compat, assets: assets as V4WorkerOptions["assets"], assetsDirectory };
}

/** A wrangler bundle is one ES module; naming it relative to its own folder keeps workerd inside it. */
export const bundleModules = (entry: string) => ({
  modulesRoot: dirname(entry),
  modules: [{ type: "ESModule" as const, path: entry }],
});

/** Each worker gets its own socket on 127.0.0.1, so no router worker sits in front of it. */
export const directSocket = () => [{ host: "127.0.0.1", port: 0 }];

/** Crossdock's production bundle as a bench worker, with every binding wrangler.toml declares. */
export const crossdockWorker = (options: V4WorkerOptionsShape, bundle: string): V4WorkerOptions => ({
  ...options,
  name: "crossdock",
  ...bundleModules(bundle),
  unsafeDirectSockets: directSocket(),
});

/** The D1 query helper worker (see CrossdockRuntime.queryUrl), bound to crossdock's D1 database. */
export const d1QueryWorker = (options: V4WorkerOptionsShape): V4WorkerOptions => ({
  name: "d1-query",
  compatibilityDate: options.compatibilityDate,
  modules: true,
  script: D1_QUERY_WORKER,
  d1Databases: options.d1Databases,
  unsafeDirectSockets: directSocket(),
});

/**
 * Whether a worker log line reports an error: workerd's own error level, or one of crossdock's JSON
 * lines (its logger writes every level through console.log).
 */
export const isErrorLog = (level: string, message: string): boolean =>
  level === "error" || message.startsWith('{"level":"error"');

/**
 * One Miniflare (one workerd process) for a benchmark: local only (no cf fetch, no request logs), with
 * every structured log line the workers write handed to `onLog` instead of printed.
 */
export function benchMiniflare(
  workers: V4WorkerOptions[],
  onLog: (level: string, message: string) => void,
  { inspectorPort }: { inspectorPort?: number } = {},
): Miniflare {
  return new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      cf: false,
      logRequests: false,
      ...(inspectorPort !== undefined && { inspectorPort }),
      handleStructuredLogs: ({ level, message }) => onLog(level, message),
      workers,
    }),
  );
}

/**
 * One Miniflare (one workerd process) hosting the three bundles, bound to one D1 database, so all read
 * identical data by construction. Nothing is persisted: the database is deleted by dispose().
 */
export async function startRuntime(
  wranglerToml: string,
  bundles: Record<Target, string>,
  onErrorLog: (message: string) => void,
): Promise<BenchRuntime> {
  const { options, compat } = crossdockWorkerOptions(wranglerToml);
  const logCounts = new Map<string, number>();
  const mf = benchMiniflare(
    [
      crossdockWorker(options, bundles.crossdock),
      ...(["same-sql", "floor"] as const).map((name) => ({
        ...compat,
        name,
        ...bundleModules(bundles[name]),
        d1Databases: options.d1Databases,
        // The one var a baseline reads (the quote lifetime), from crossdock's own configuration.
        bindings: { QUOTE_TTL_SECONDS: options.bindings?.QUOTE_TTL_SECONDS ?? null },
        unsafeDirectSockets: directSocket(),
      })),
    ],
    (level, message) => {
      logCounts.set(level, (logCounts.get(level) ?? 0) + 1);
      if (level === "error") onErrorLog(message);
    },
  );
  try {
    const urls = {
      crossdock: await mf.unsafeGetDirectURL("crossdock"),
      "same-sql": await mf.unsafeGetDirectURL("same-sql"),
      floor: await mf.unsafeGetDirectURL("floor"),
    };
    const db = (await mf.getD1Database("DB", "crossdock")) as unknown as D1Database;
    return { urls, db, logCounts, dispose: () => mf.dispose() };
  } catch (err) {
    await mf.dispose();
    throw err;
  }
}

export interface CrossdockRuntime {
  url: URL;
  /** Miniflare's Node proxy to D1: for setup only, while the worker is quiet (see queryUrl). */
  db: D1Database;
  /**
   * A helper worker bound to the same D1 that runs `POST {sql, params}` and answers `{results}`. Queries
   * under load go through it: the Node proxy makes synchronous round trips (prepare, bind) that block
   * Node's main thread, which is also the reader of workerd's log pipe, so a burst of worker logs fills
   * the pipe and both processes wait on each other.
   */
  queryUrl: URL;
  /** Each extra bench worker's own socket, by name. */
  extraUrls: Record<string, URL>;
  /** Every shard's D1 database (src/platform/db/shards.ts), `db` first: each needs the migrations. */
  shardDbs: D1Database[];
  logCounts: Map<string, number>;
  dispose(): Promise<void>;
}

/**
 * A bench-only worker with crossdock's D1, queue producers and vars, and crossdock's Durable Objects
 * reached by script name (the same objects, not copies): for a floor that does crossdock's work by hand.
 */
export function withCrossdockBindings(
  options: V4WorkerOptionsShape,
  compat: Compatibility,
  name: string,
  bundle: string,
  vars: Record<string, string> = {},
): V4WorkerOptions {
  const durableObjects = Object.fromEntries(
    Object.entries(options.durableObjects ?? {}).map(([binding, d]) => [
      binding,
      { className: typeof d === "string" ? d : d.className, scriptName: "crossdock" },
    ]),
  );
  return {
    ...compat,
    name,
    ...bundleModules(bundle),
    d1Databases: options.d1Databases,
    queueProducers: options.queueProducers,
    bindings: { ...(options.bindings ?? {}), ...vars },
    durableObjects,
    unsafeDirectSockets: directSocket(),
  };
}

export const D1_QUERY_WORKER = `export default {
  async fetch(request, env) {
    const { sql, params, batch } = await request.json();
    const statement = (s) => env.DB.prepare(s.sql).bind(...(s.params ?? []));
    if (batch) return Response.json({ results: (await env.DB.batch(batch.map(statement))).map((r) => r.results) });
    const { results } = await statement({ sql, params }).all();
    return Response.json({ results });
  },
};`;

/**
 * Crossdock alone in one Miniflare, with every binding wrangler.toml declares: its queue producers and
 * consumers (so `order.placed` reaches the order-saga consumer) and its Durable Objects (so saga alarms
 * run). `vars` overrides plain-text vars, e.g. SANDBOX_SLOW_MS. `shards` > 1 binds that many local D1
 * databases behind the shard seam (DB_SHARD_1…, D1_SHARDS), as a sharded production deploy would.
 */
export async function startCrossdockRuntime(
  wranglerToml: string,
  bundle: string,
  vars: Record<string, string>,
  onErrorLog: (message: string) => void,
  extraWorkers: V4WorkerOptions[] = [],
  { shards = 1, inspectorPort }: { shards?: number; inspectorPort?: number } = {},
): Promise<CrossdockRuntime> {
  const { options } = crossdockWorkerOptions(wranglerToml);
  const shardNames = Array.from({ length: shards - 1 }, (_, i) => `DB_SHARD_${i + 1}`);
  options.d1Databases = {
    ...(options.d1Databases as Record<string, unknown>),
    ...Object.fromEntries(shardNames.map((name) => [name, { id: `crossdock-bench-${name.toLowerCase()}` }])),
  } as V4WorkerOptionsShape["d1Databases"];
  vars = { ...vars, D1_SHARDS: String(shards) };
  const logCounts = new Map<string, number>();
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      cf: false,
      logRequests: false,
      ...(inspectorPort !== undefined && { inspectorPort }),
      handleStructuredLogs: ({ level, message }) => {
        logCounts.set(level, (logCounts.get(level) ?? 0) + 1);
        if (level === "error") onErrorLog(message);
      },
      workers: [
        crossdockWorker({ ...options, bindings: { ...(options.bindings ?? {}), ...vars } }, bundle),
        d1QueryWorker(options),
        ...extraWorkers,
      ],
    }),
  );
  try {
    const url = await mf.unsafeGetDirectURL("crossdock");
    const queryUrl = await mf.unsafeGetDirectURL("d1-query");
    const extraUrls: Record<string, URL> = {};
    for (const w of extraWorkers) if (w.name) extraUrls[w.name] = await mf.unsafeGetDirectURL(w.name);
    const db = (await mf.getD1Database("DB", "crossdock")) as unknown as D1Database;
    const shardDbs = [db];
    for (const name of shardNames)
      shardDbs.push((await mf.getD1Database(name, "crossdock")) as unknown as D1Database);
    return { url, queryUrl, extraUrls, db, shardDbs, logCounts, dispose: () => mf.dispose() };
  } catch (err) {
    await mf.dispose();
    throw err;
  }
}
