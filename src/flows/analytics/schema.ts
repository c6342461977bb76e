/**
 * Client analytics (POST /v1/events): the read models the `analytics` consumer keeps, and the ids it
 * has counted. Written only by that consumer; pruned by the cron (see docs/ARCHITECTURE.md).
 */
import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { CLIENT_EVENT_TYPES } from "./client-event";

/**
 * Every client event counted, keyed by the account that sent it and the event's id, so a resent event
 * or a redelivered message is counted once. `batch` tags the rows inserted by one handling of one
 * message: the counters are incremented from exactly those rows, found through the key. Kept
 * DEDUP_RETENTION_DAYS after `day`.
 *
 * No secondary index, on purpose, and WITHOUT ROWID (migration 0003; drizzle cannot declare it): D1
 * bills every b-tree entry an insert writes as a row written, and this table takes a row per client event. `batch` is looked up by key (the message's own ids), and
 * the daily prune scans the table once a day, which at $0.001 per million rows read costs less than
 * one index entry per event at $1 per million (docs/BENCHMARKS.md, Costs).
 */
export const analyticsEventIds = sqliteTable(
  "analytics_event_ids",
  {
    ownerId: text("owner_id").notNull(),
    eventId: text("event_id").notNull(),
    day: text("day").notNull(),
    type: text("type", { enum: CLIENT_EVENT_TYPES }).notNull(),
    productId: text("product_id"),
    /** The normalised search text (search.performed only). */
    query: text("query"),
    batch: text("batch").notNull(),
  },
  (t) => [primaryKey({ columns: [t.ownerId, t.eventId] })],
);

/** Per product and UTC day (of the event's occurredAt): GET /v1/analytics/products/{id}/daily. */
export const productDailyMetrics = sqliteTable(
  "product_daily_metrics",
  {
    productId: text("product_id").notNull(),
    day: text("day").notNull(),
    views: integer("views").notNull().default(0),
    addToCarts: integer("add_to_carts").notNull().default(0),
    removesFromCart: integer("removes_from_cart").notNull().default(0),
    checkoutsStarted: integer("checkouts_started").notNull().default(0),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.day] })],
);

/** Searches per UTC day and normalised query text. */
export const searchDailyMetrics = sqliteTable(
  "search_daily_metrics",
  {
    day: text("day").notNull(),
    query: text("query").notNull(),
    searches: integer("searches").notNull().default(0),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.query] })],
);
