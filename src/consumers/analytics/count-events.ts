import { and, eq, isNotNull, type SQL, sql } from "drizzle-orm";
import type { ClientEventType } from "../../flows/analytics/client-event";
import type { MetricRow } from "../../flows/analytics/metrics";
import { analyticsEventIds, productDailyMetrics, searchDailyMetrics } from "../../flows/analytics/schema";
import type { Db } from "../../platform/db/client";
import type { D1Statement } from "../../platform/events/consumer";

const field = (name: keyof MetricRow) => sql.raw(`json_extract(value, '$.${name}')`);
const countOf = (type: ClientEventType): SQL<number> => sql<number>`sum(${analyticsEventIds.type} = ${type})`;
const plusExcluded = (column: { name: string }) => sql.raw(`"${column.name}" + excluded."${column.name}"`);

/**
 * The statements that count one message's events, for one D1 batch (atomic):
 *
 * 1. insert each event's id into `analytics_event_ids`, ignoring ids already there (counted before:
 *    resent by the client, or this message redelivered), tagging the new rows with `tag`;
 * 2. add the new rows — and only those, `WHERE batch = tag` — to the product and search counters,
 *    finding them by key from the message's own ids (no index on `batch`: see the table's comment).
 *
 * `tag` must be unique to this handling (not just this message): were a message ever handled again,
 * its events would all be ignored in step 1 and a fresh tag would find nothing to add.
 * The rows travel as one JSON parameter (json_each): D1 binds at most 100 parameters per statement.
 */
export function countEventsStatements(
  db: Db,
  input: { ownerId: string; rows: readonly MetricRow[]; tag: string; now: number },
): D1Statement[] {
  const { ownerId, rows, tag, now } = input;
  const recordIds = db
    .insert(analyticsEventIds)
    .select(
      db
        .select({
          ownerId: sql<string>`${ownerId}`.as("owner_id"),
          eventId: sql<string>`${field("eventId")}`.as("event_id"),
          day: sql<string>`${field("day")}`.as("day"),
          type: sql<ClientEventType>`${field("type")}`.as("type"),
          productId: sql<string | null>`${field("productId")}`.as("product_id"),
          query: sql<string | null>`${field("query")}`.as("query"),
          batch: sql<string>`${tag}`.as("batch"),
        })
        .from(sql`json_each(${JSON.stringify(rows)})`)
        // WHERE keeps SQLite from reading ON CONFLICT as a join constraint of the SELECT.
        .where(sql`true`),
    )
    .onConflictDoNothing();

  const fresh = eq(analyticsEventIds.batch, tag);
  // This message's ids, joined to the table by its key: the rows this handling inserted are among them.
  // CROSS JOIN keeps SQLite's loop order as written (ids outside, key lookups inside): left to itself,
  // the planner walks the sender's whole key range (`owner_id = ?` is a prefix of the key) and reads
  // every id the account ever sent, per message.
  const mine = sql`json_each(${JSON.stringify(rows.map((r) => r.eventId))}) as mine`;
  const byKey = and(eq(analyticsEventIds.ownerId, ownerId), eq(analyticsEventIds.eventId, sql`mine.value`));
  const addToProducts = db
    .insert(productDailyMetrics)
    .select(
      db
        .select({
          productId: sql<string>`${analyticsEventIds.productId}`.as("product_id"),
          day: analyticsEventIds.day,
          views: countOf("product.viewed").as("views"),
          addToCarts: countOf("product.added_to_cart").as("add_to_carts"),
          removesFromCart: countOf("product.removed_from_cart").as("removes_from_cart"),
          checkoutsStarted: countOf("checkout.started").as("checkouts_started"),
          updatedAt: sql<number>`${now}`.as("updated_at"),
        })
        .from(mine)
        .crossJoin(analyticsEventIds)
        .where(and(byKey, fresh, isNotNull(analyticsEventIds.productId)))
        .groupBy(analyticsEventIds.productId, analyticsEventIds.day),
    )
    .onConflictDoUpdate({
      target: [productDailyMetrics.productId, productDailyMetrics.day],
      set: {
        views: plusExcluded(productDailyMetrics.views),
        addToCarts: plusExcluded(productDailyMetrics.addToCarts),
        removesFromCart: plusExcluded(productDailyMetrics.removesFromCart),
        checkoutsStarted: plusExcluded(productDailyMetrics.checkoutsStarted),
        updatedAt: sql`excluded."updated_at"`,
      },
    });

  const addToSearches = db
    .insert(searchDailyMetrics)
    .select(
      db
        .select({
          day: analyticsEventIds.day,
          query: sql<string>`${analyticsEventIds.query}`.as("query"),
          searches: sql<number>`count(*)`.as("searches"),
          updatedAt: sql<number>`${now}`.as("updated_at"),
        })
        .from(mine)
        .crossJoin(analyticsEventIds)
        .where(and(byKey, fresh, isNotNull(analyticsEventIds.query)))
        .groupBy(analyticsEventIds.day, analyticsEventIds.query),
    )
    .onConflictDoUpdate({
      target: [searchDailyMetrics.day, searchDailyMetrics.query],
      set: { searches: plusExcluded(searchDailyMetrics.searches), updatedAt: sql`excluded."updated_at"` },
    });

  return [recordIds, addToProducts, addToSearches];
}
