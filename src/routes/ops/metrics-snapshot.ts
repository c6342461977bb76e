import { asc, count, eq, isNotNull, isNull, ne, sql } from "drizzle-orm";
import { getDb } from "../../db/client";
import { alerts, consumerAttempts, deadLetters, outbox } from "../../db/schema-events";
import { EVENT_CATALOG } from "../../domain/events/catalog";
import { LAG_BUCKETS_SECONDS, type OpsSnapshot } from "../../domain/metrics/crossdock-metrics";
import { CONSUMERS } from "../../platform/events/topology";

/** Cumulative bucket counts as one JSON array: `[count(lag <= 10 ms), count(lag <= 50 ms), …]`. */
const lagBuckets = sql<string>`json_array(${sql.join(
  LAG_BUCKETS_SECONDS.map(
    (le) =>
      sql`sum(case when ${consumerAttempts.lagMs} <= ${sql.raw(String(Math.round(le * 1000)))} then 1 else 0 end)`,
  ),
  sql`, `,
)})`;

/** Adds a zero row for each known name without one, so a quiet consumer or queue still has its series. */
function withDefaults<T>(
  rows: readonly T[],
  nameOf: (r: T) => string,
  names: readonly string[],
  zero: (name: string) => T,
): T[] {
  const seen = new Set(rows.map(nameOf));
  return [...rows, ...names.filter((n) => !seen.has(n)).map(zero)].sort((a, b) =>
    nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0,
  );
}

/**
 * Every aggregate /ops/metrics needs, read in one D1 batch so the numbers belong to one instant.
 * Counts come from tables that are pruned (the outbox, consumer attempts), so counters cover the
 * retention window and can go down; Prometheus' rate() treats a decrease as a reset.
 */
export async function readOpsSnapshot(env: Pick<Env, "DB">, now: number): Promise<OpsSnapshot> {
  const db = getDb(env.DB);
  const [published, unpublished, deliveries, lag, dead, firing] = await db.batch([
    db
      .select({ type: outbox.type, count: count() })
      .from(outbox)
      .where(isNotNull(outbox.publishedAt))
      .groupBy(outbox.type),
    db
      .select({ count: count(), oldest: sql<number | null>`min(${outbox.createdAt})` })
      .from(outbox)
      .where(isNull(outbox.publishedAt)),
    db
      .select({
        consumer: consumerAttempts.consumer,
        type: consumerAttempts.eventType,
        outcome: consumerAttempts.outcome,
        count: count(),
      })
      .from(consumerAttempts)
      .groupBy(consumerAttempts.consumer, consumerAttempts.eventType, consumerAttempts.outcome)
      .orderBy(asc(consumerAttempts.consumer), asc(consumerAttempts.eventType)),
    // Dead-lettered records are bookkeeping written when a message is stored as dead, with no real
    // lag measured (0), so they would only drag the histogram down.
    db
      .select({
        consumer: consumerAttempts.consumer,
        buckets: lagBuckets,
        sumMs: sql<number>`sum(${consumerAttempts.lagMs})`,
        count: count(),
      })
      .from(consumerAttempts)
      .where(ne(consumerAttempts.outcome, "dead-lettered"))
      .groupBy(consumerAttempts.consumer),
    db
      .select({
        queue: deadLetters.originQueue,
        count: count(),
        bytes: sql<number>`coalesce(sum(${deadLetters.sizeBytes}), 0)`,
        oldestFailedAt: sql<number | null>`min(${deadLetters.firstFailedAt})`,
      })
      .from(deadLetters)
      .where(eq(deadLetters.status, "dead"))
      .groupBy(deadLetters.originQueue),
    db.select({ count: count() }).from(alerts).where(eq(alerts.state, "firing")),
  ]);
  const consumers = Object.keys(CONSUMERS);
  return {
    now,
    published: withDefaults(
      published,
      (p) => p.type,
      Object.keys(EVENT_CATALOG),
      (type) => ({ type, count: 0 }),
    ),
    outbox: { unpublished: unpublished[0]?.count ?? 0, oldestCreatedAt: unpublished[0]?.oldest ?? null },
    deliveries,
    lag: withDefaults(
      lag.map((l) => ({
        consumer: l.consumer,
        buckets: (JSON.parse(l.buckets) as (number | null)[]).map(Number),
        sumMs: Number(l.sumMs ?? 0),
        count: l.count,
      })),
      (l) => l.consumer,
      consumers,
      (consumer) => ({ consumer, buckets: LAG_BUCKETS_SECONDS.map(() => 0), sumMs: 0, count: 0 }),
    ),
    deadLetters: withDefaults(
      dead,
      (d) => d.queue,
      Object.values(CONSUMERS).map((c) => c.queue),
      (queue) => ({ queue, count: 0, bytes: 0, oldestFailedAt: null }),
    ),
    alertsFiring: firing[0]?.count ?? 0,
  };
}
