/**
 * Cloudflare's published limits the capacity plan divides by, each with the page it was read from and
 * when (docs/CAPACITY.md quotes them). Prices are not here: they live once, dated, in
 * src/platform/costs/prices.ts.
 */
export const LIMITS_READ_ON = "2026-12-05";

const QUEUES_LIMITS = "https://developers.cloudflare.com/queues/platform/limits/";
const QUEUES_RETENTION =
  "https://developers.cloudflare.com/changelog/2025-02-14-customize-queue-retention-period";
const D1_LIMITS = "https://developers.cloudflare.com/d1/platform/limits/";

export interface Limit {
  readonly value: number;
  readonly unit: string;
  readonly source: string;
}

const limit = (value: number, unit: string, source: string): Limit => ({ value, unit, source });

const DAY_S = 86_400;

export const LIMITS = {
  /** Beyond it `send()` and `sendBatch()` throw Too Many Requests until the producer slows down. */
  queueMessagesPerS: limit(5_000, "messages/s per queue", QUEUES_LIMITS),
  queueMaxBatchSize: limit(100, "messages per consumer batch", QUEUES_LIMITS),
  queueMaxConcurrency: limit(250, "concurrent push-consumer invocations per queue", QUEUES_LIMITS),
  /** 1 KB = 1,000 bytes, and up to ~100 bytes of Queues' own metadata count towards it. */
  queueMaxMessageBytes: limit(128_000, "bytes per message", QUEUES_LIMITS),
  queueMetadataBytes: limit(100, "bytes of internal metadata per message", QUEUES_LIMITS),
  /** Past it `send()` fails with Storage Limit Exceeded. */
  queueMaxBacklogBytes: limit(25e9, "bytes of backlog per queue", QUEUES_LIMITS),
  queueRetentionDefaultS: limit(4 * DAY_S, "s of retention unless configured", QUEUES_RETENTION),
  queueRetentionMinS: limit(60, "s of retention, the least one can set", QUEUES_RETENTION),
  queueRetentionMaxS: limit(14 * DAY_S, "s of retention, the most one can set", QUEUES_LIMITS),
  queueConsumerWallS: limit(15 * 60, "s of wall time per consumer invocation", QUEUES_LIMITS),
  d1MaxDatabaseBytes: limit(10e9, "bytes per D1 database (Workers Paid), not raisable", D1_LIMITS),
  /**
   * "Each individual D1 database is inherently single-threaded, and processes queries one at a time":
   * about 1,000 queries/s when a query takes 1 ms (the page's FAQ, last updated 2026-04-21).
   */
  d1QueriesPerSAt1Ms: limit(1_000, "queries/s per D1 database at 1 ms a query", D1_LIMITS),
} as const satisfies Record<string, Limit>;
