import { and, count, eq, isNotNull, ne, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { SQLiteSelect } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import { LAG_BUCKETS_SECONDS } from "../observability/metrics/crossdock-metrics";
import { consumerAttempts, metricRollups, outbox } from "./schema";

/**
 * A label set as canonical JSON, computed by SQLite: `json_object` with the keys sorted, so one label
 * set is always one string. The rollup writer and the live reads both build their labels here, which
 * is what lets a rolled-up row and a live row of the same series meet on the same key.
 *
 * @example
 * labelsJson({ type: outbox.type }) // json_object('type', "outbox"."type") -> {"type":"order.placed"}
 */
export function labelsJson(labels: Record<string, SQLWrapper>): SQL<string> {
  const pairs = Object.keys(labels)
    .sort()
    .map((key) => {
      if (!/^[a-z_]+$/.test(key)) throw new Error(`label name ${key} is not [a-z_]+`);
      return sql`'${sql.raw(key)}', ${labels[key]}`;
    });
  return sql<string>`json_object(${sql.join(pairs, sql`, `)})`;
}

/** The lag histogram's bounds in whole milliseconds, as `consumer_attempts.lag_ms` counts them. */
export const LAG_BOUNDS_MS: readonly number[] = LAG_BUCKETS_SECONDS.map((le) => Math.round(le * 1000));

type RowsQuery = SQLiteSelect<
  string,
  "async",
  D1Result,
  { family: SQL.Aliased<string>; labels: SQL.Aliased<string>; value: SQL.Aliased<number> },
  "partial"
>;

/**
 * A counter family computed from a pruned table: `select(db, where)` aggregates the rows matching
 * `where` into `(family, labels, value)` rows. The snapshot runs it over every row left; pruning runs
 * it over the rows it is about to delete and adds the result to `metric_rollups`.
 */
export interface RollupSource<Labels> {
  family: string;
  select(db: Db, where?: SQL): RowsQuery;
  /** Adds up `readTotals` rows by label set and parses the labels, in the order label sets appear. */
  totals(rows: readonly { labels: string; value: number }[]): { labels: Labels; value: number }[];
}

function selectRows(db: Db, family: string, labels: SQL<string>, value: SQL<number>) {
  return db.select({
    family: sql<string>`${family}`.as("family"),
    labels: labels.as("labels"),
    value: value.as("value"),
  });
}

/** Starts a family's aggregate: `rows(labels, value)` selects `(family, labels, value)`, FROM to follow. */
type Rows = (labels: SQL<string>, value: SQL<number>) => ReturnType<typeof selectRows>;

const source = <Labels>(
  family: string,
  build: (rows: Rows, where?: SQL) => RowsQuery,
): RollupSource<Labels> => ({
  family,
  select: (db, where) => build((labels, value) => selectRows(db, family, labels, value), where),
  totals(rows) {
    const sums = new Map<string, number>();
    for (const r of rows) sums.set(r.labels, (sums.get(r.labels) ?? 0) + r.value);
    // The JSON was built by labelsJson from this family's label columns, so it has the Labels shape.
    return [...sums].map(([labels, value]) => ({ labels: JSON.parse(labels) as Labels, value }));
  },
});

export const EVENTS_PUBLISHED = source<{ type: string }>("events_published", (rows, where) =>
  rows(labelsJson({ type: outbox.type }), count())
    .from(outbox)
    .where(and(isNotNull(outbox.publishedAt), where))
    .groupBy(outbox.type)
    .$dynamic(),
);

export const CONSUMER_DELIVERIES = source<{ consumer: string; type: string; outcome: string }>(
  "consumer_deliveries",
  (rows, where) =>
    rows(
      labelsJson({
        consumer: consumerAttempts.consumer,
        type: consumerAttempts.eventType,
        outcome: consumerAttempts.outcome,
      }),
      count(),
    )
      .from(consumerAttempts)
      .where(where)
      .groupBy(consumerAttempts.consumer, consumerAttempts.eventType, consumerAttempts.outcome)
      .$dynamic(),
);

// Dead-lettered records are bookkeeping written when a message is stored as dead, with no real lag
// measured (0), so they would only drag the histogram down.
const measured = (where?: SQL) => and(ne(consumerAttempts.outcome, "dead-lettered"), where);

const bound = sql<number>`lag_bounds.value`;

/** One row per (consumer, bound): how many measured lags were at most `le_ms`, i.e. cumulative. */
export const CONSUMER_LAG_BUCKETS = source<{ consumer: string; le_ms: number }>(
  "consumer_lag_bucket",
  (rows, where) =>
    rows(
      labelsJson({ consumer: consumerAttempts.consumer, le_ms: bound }),
      sql<number>`sum(${consumerAttempts.lagMs} <= ${bound})`,
    )
      .from(consumerAttempts)
      .innerJoin(sql`json_each(${JSON.stringify(LAG_BOUNDS_MS)}) as lag_bounds`, sql`true`)
      .where(measured(where))
      .groupBy(consumerAttempts.consumer, bound)
      .$dynamic(),
);

export const CONSUMER_LAG_SUM_MS = source<{ consumer: string }>("consumer_lag_sum_ms", (rows, where) =>
  rows(labelsJson({ consumer: consumerAttempts.consumer }), sql<number>`sum(${consumerAttempts.lagMs})`)
    .from(consumerAttempts)
    .where(measured(where))
    .groupBy(consumerAttempts.consumer)
    .$dynamic(),
);

export const CONSUMER_LAG_COUNT = source<{ consumer: string }>("consumer_lag_count", (rows, where) =>
  rows(labelsJson({ consumer: consumerAttempts.consumer }), count())
    .from(consumerAttempts)
    .where(measured(where))
    .groupBy(consumerAttempts.consumer)
    .$dynamic(),
);

/** Every family computed from `consumer_attempts`, rolled up together when attempt history is pruned. */
export const ATTEMPT_ROLLUPS = [
  CONSUMER_DELIVERIES,
  CONSUMER_LAG_BUCKETS,
  CONSUMER_LAG_SUM_MS,
  CONSUMER_LAG_COUNT,
] as const;

/**
 * Adds the rows matching `prunable` to the family's rollup. Put it in the same `db.batch` as the DELETE
 * with the same predicate: the batch is atomic, so each row is counted once, live or rolled up.
 * (The SELECT always ends in GROUP BY, which keeps SQLite from reading ON CONFLICT as a join's ON.)
 *
 * @example
 * const old = lt(outbox.publishedAt, cutoff);
 * await db.batch([rollUp(db, EVENTS_PUBLISHED, old), db.delete(outbox).where(old)]);
 */
export function rollUp<Labels>(db: Db, family: RollupSource<Labels>, prunable: SQL) {
  return db
    .insert(metricRollups)
    .select(family.select(db, prunable))
    .onConflictDoUpdate({
      target: [metricRollups.family, metricRollups.labels],
      set: { value: sql`${metricRollups.value} + excluded.value` },
    });
}

/**
 * The family's all-time totals, as rows to add up with the family's `totals`: the live aggregate over
 * the rows not yet pruned, then the rolled-up rows. One query, so it fits in the snapshot's batch.
 */
export function readTotals<Labels>(db: Db, family: RollupSource<Labels>) {
  return family
    .select(db)
    .unionAll(
      db
        .select({ family: metricRollups.family, labels: metricRollups.labels, value: metricRollups.value })
        .from(metricRollups)
        .where(eq(metricRollups.family, family.family)),
    );
}
