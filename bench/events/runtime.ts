import type { Miniflare } from "miniflare";
import { CONSUMERS } from "../../src/flows";
import { type QueryDb, queryDb } from "../lib/query-db";
import {
  benchMiniflare,
  bundleModules,
  crossdockWorker,
  crossdockWorkerOptions,
  d1QueryWorker,
  directSocket,
  isErrorLog,
} from "../lib/runtime";
import { BARE_DEAD_LETTER_QUEUE, BARE_QUEUE } from "./names";

export const USER_STATS_QUEUE = CONSUMERS["user-stats"].queue;

/** User-stats' consumer settings as wrangler.toml gives them to Miniflare. */
export interface QueueSettings {
  maxBatchSize?: number;
  maxBatchTimeout?: number;
  maxRetries?: number;
  retryDelay?: number;
  deadLetterQueue?: string;
}

export interface EventsRuntime {
  crossdock: URL;
  loader: URL;
  /** Miniflare's Node proxy to the D1 database crossdock and the bare consumer share: migrations only. */
  db: D1Database;
  /** The same database through the D1 query worker: every poll and check while workers run. */
  query: QueryDb;
  /** The settings both user-stats consumers run with (the bare one's DLQ is its own). */
  queueSettings: QueueSettings;
  /** Log lines the workers wrote, by level. */
  logCounts: Map<string, number>;
  /** `durationMs` of every `event.relayed` line: the relay's own commit → published time. */
  relayDurationsMs: number[];
  dispose(): Promise<void>;
}

/**
 * One Miniflare (one workerd process): crossdock's production bundle with every binding of wrangler.toml
 * (queues and their consumers, Durable Objects, D1), the bare consumer on its own queue with the
 * same consumer settings as crossdock's user-stats queue, and the loader, a producer to both queues.
 * All three share one temporary D1 database, deleted by dispose().
 */
export async function startEventsRuntime(
  wranglerToml: string,
  bundles: { crossdock: string; bare: string; loader: string },
  onErrorLog: (message: string) => void,
): Promise<EventsRuntime> {
  const { options, compat } = crossdockWorkerOptions(wranglerToml);
  const queueSettings = (options.queueConsumers as Record<string, QueueSettings> | undefined)?.[
    USER_STATS_QUEUE
  ];
  if (!queueSettings) throw new Error(`wrangler.toml has no consumer for ${USER_STATS_QUEUE}`);
  const logCounts = new Map<string, number>();
  const relayDurationsMs: number[] = [];
  const mf: Miniflare = benchMiniflare(
    [
      crossdockWorker(options, bundles.crossdock),
      {
        ...compat,
        name: "bare-consumer",
        ...bundleModules(bundles.bare),
        d1Databases: options.d1Databases,
        queueConsumers: { [BARE_QUEUE]: { ...queueSettings, deadLetterQueue: BARE_DEAD_LETTER_QUEUE } },
      },
      {
        ...compat,
        name: "loader",
        ...bundleModules(bundles.loader),
        queueProducers: {
          CROSSDOCK_QUEUE: { queueName: USER_STATS_QUEUE },
          BARE_QUEUE: { queueName: BARE_QUEUE },
        },
        unsafeDirectSockets: directSocket(),
      },
      d1QueryWorker(options),
    ],
    (level, message) => {
      logCounts.set(level, (logCounts.get(level) ?? 0) + 1);
      if (isErrorLog(level, message)) onErrorLog(message.slice(0, 1000));
      if (message.includes('"msg":"event.relayed"')) {
        const { durationMs } = JSON.parse(message) as { durationMs?: number };
        if (typeof durationMs === "number") relayDurationsMs.push(durationMs);
      }
    },
  );
  try {
    return {
      crossdock: await mf.unsafeGetDirectURL("crossdock"),
      loader: await mf.unsafeGetDirectURL("loader"),
      db: (await mf.getD1Database("DB", "crossdock")) as unknown as D1Database,
      query: queryDb(await mf.unsafeGetDirectURL("d1-query")),
      queueSettings,
      logCounts,
      relayDurationsMs,
      dispose: () => mf.dispose(),
    };
  } catch (err) {
    await mf.dispose();
    throw err;
  }
}
