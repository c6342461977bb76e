import { count, eq, isNull, sql } from "drizzle-orm";
import { CONSUMERS, EVENT_CATALOG } from "../../flows";
import { getDb } from "../../platform/db/client";
import { outstandingDeliveries } from "../../platform/events/deliveries-query";
import {
  CONSUMER_DELIVERIES,
  CONSUMER_LAG_BUCKETS,
  CONSUMER_LAG_COUNT,
  CONSUMER_LAG_SUM_MS,
  EVENTS_PUBLISHED,
  LAG_BOUNDS_MS,
  readTotals,
} from "../../platform/events/metric-rollups";
import { alerts, DELIVERY_STATES, deadLetters, outbox } from "../../platform/events/schema";
import type { OpsSnapshot } from "../../platform/observability/metrics/crossdock-metrics";

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Adds a zero row for each known name without one, so a quiet consumer or queue still has its series. */
function withDefaults<T>(
  rows: readonly T[],
  nameOf: (r: T) => string,
  names: readonly string[],
  zero: (name: string) => T,
): T[] {
  const seen = new Set(rows.map(nameOf));
  return [...rows, ...names.filter((n) => !seen.has(n)).map(zero)].sort((a, b) =>
    byName(nameOf(a), nameOf(b)),
  );
}

type Lag = { consumer: string; buckets: number[]; sumMs: number; count: number };

const emptyLag = (consumer: string): Lag => ({
  consumer,
  buckets: LAG_BOUNDS_MS.map(() => 0),
  sumMs: 0,
  count: 0,
});

/**
 * Every aggregate /ops/metrics needs, read in one D1 batch so the numbers belong to one instant.
 * A counter is the rows still in its table plus what pruning rolled up before deleting (see
 * metric-rollups.ts), so counters never go down unless the D1 database itself is reset.
 */
export async function readOpsSnapshot(env: Pick<Env, "DB">, now: number): Promise<OpsSnapshot> {
  const db = getDb(env.DB);
  const [published, unpublished, deliveries, lagBuckets, lagSums, lagCounts, dead, unacked, firing] =
    await db.batch([
      readTotals(db, EVENTS_PUBLISHED),
      db
        .select({ count: count(), oldest: sql<number | null>`min(${outbox.createdAt})` })
        .from(outbox)
        .where(isNull(outbox.publishedAt)),
      readTotals(db, CONSUMER_DELIVERIES),
      readTotals(db, CONSUMER_LAG_BUCKETS),
      readTotals(db, CONSUMER_LAG_SUM_MS),
      readTotals(db, CONSUMER_LAG_COUNT),
      db
        .select({
          queue: deadLetters.originQueue,
          count: count(),
          bytes: sql<number>`coalesce(sum(${deadLetters.sizeBytes}), 0)`,
          oldestStoredAt: sql<number | null>`min(${deadLetters.lastFailedAt})`,
        })
        .from(deadLetters)
        .where(eq(deadLetters.status, "dead"))
        .groupBy(deadLetters.originQueue),
      outstandingDeliveries(db),
      db.select({ count: count() }).from(alerts).where(eq(alerts.state, "firing")),
    ]);

  const lag = new Map<string, Lag>();
  const lagOf = (consumer: string) => {
    const l = lag.get(consumer) ?? emptyLag(consumer);
    lag.set(consumer, l);
    return l;
  };
  for (const { labels, value } of CONSUMER_LAG_BUCKETS.totals(lagBuckets)) {
    const i = LAG_BOUNDS_MS.indexOf(labels.le_ms);
    if (i >= 0) lagOf(labels.consumer).buckets[i] = value;
  }
  for (const { labels, value } of CONSUMER_LAG_SUM_MS.totals(lagSums)) lagOf(labels.consumer).sumMs = value;
  for (const { labels, value } of CONSUMER_LAG_COUNT.totals(lagCounts)) lagOf(labels.consumer).count = value;

  const consumers = Object.keys(CONSUMERS);
  return {
    now,
    published: withDefaults(
      EVENTS_PUBLISHED.totals(published).map(({ labels, value }) => ({ type: labels.type, count: value })),
      (p) => p.type,
      Object.keys(EVENT_CATALOG),
      (type) => ({ type, count: 0 }),
    ),
    outbox: { unpublished: unpublished[0]?.count ?? 0, oldestCreatedAt: unpublished[0]?.oldest ?? null },
    deliveries: CONSUMER_DELIVERIES.totals(deliveries)
      .map(({ labels, value }) => ({ ...labels, count: value }))
      .sort(
        (a, b) => byName(a.consumer, b.consumer) || byName(a.type, b.type) || byName(a.outcome, b.outcome),
      ),
    lag: withDefaults([...lag.values()], (l) => l.consumer, consumers, emptyLag),
    deadLetters: withDefaults(
      dead,
      (d) => d.queue,
      Object.values(CONSUMERS).map((c) => c.queue),
      (queue) => ({ queue, count: 0, bytes: 0, oldestStoredAt: null }),
    ),
    unacked: consumers.flatMap((consumer) =>
      DELIVERY_STATES.map((state) => {
        const row = unacked.find((u) => u.consumer === consumer && u.state === state);
        return { consumer, state, count: row?.count ?? 0, oldestPublishedAt: row?.oldestPublishedAt ?? null };
      }),
    ),
    alertsFiring: firing[0]?.count ?? 0,
  };
}
