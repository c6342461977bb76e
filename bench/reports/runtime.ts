import {
  benchMiniflare,
  bundleModules,
  crossdockWorker,
  crossdockWorkerOptions,
  d1QueryWorker,
  directSocket,
  isErrorLog,
} from "../lib/runtime";

export interface ReportsRuntime {
  crossdock: URL;
  bare: URL;
  /** POST {sql, params} → {results}, through a worker (see CrossdockRuntime.queryUrl). */
  query: URL;
  /** Miniflare's Node proxy to D1: for setup only, while the workers are quiet. */
  db: D1Database;
  files: R2Bucket;
  logCounts: Map<string, number>;
  dispose(): Promise<void>;
}

/**
 * One Miniflare (one workerd process): crossdock's production bundle with every binding of wrangler.toml
 * (queues and consumers, Durable Objects, D1, R2), the baseline worker bound to the same D1 database
 * and R2 bucket, and the D1 query helper. Nothing is persisted: dispose() deletes it all.
 */
export async function startReportsRuntime(
  wranglerToml: string,
  bundles: { crossdock: string; bare: string },
  onErrorLog: (message: string) => void,
): Promise<ReportsRuntime> {
  const { options, compat } = crossdockWorkerOptions(wranglerToml);
  const logCounts = new Map<string, number>();
  const mf = benchMiniflare(
    [
      crossdockWorker(options, bundles.crossdock),
      {
        ...compat,
        name: "bare-report",
        ...bundleModules(bundles.bare),
        d1Databases: options.d1Databases,
        r2Buckets: options.r2Buckets,
        unsafeDirectSockets: directSocket(),
      },
      d1QueryWorker(options),
    ],
    (level, message) => {
      logCounts.set(level, (logCounts.get(level) ?? 0) + 1);
      if (isErrorLog(level, message)) onErrorLog(message.slice(0, 1000));
    },
  );
  try {
    return {
      crossdock: await mf.unsafeGetDirectURL("crossdock"),
      bare: await mf.unsafeGetDirectURL("bare-report"),
      query: await mf.unsafeGetDirectURL("d1-query"),
      db: (await mf.getD1Database("DB", "crossdock")) as unknown as D1Database,
      files: (await mf.getR2Bucket("FILES", "crossdock")) as unknown as R2Bucket,
      logCounts,
      dispose: () => mf.dispose(),
    };
  } catch (err) {
    await mf.dispose();
    throw err;
  }
}
