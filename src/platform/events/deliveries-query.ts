import { and, count, eq, notExists, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { type DeliveryState, deliveries, processedEvents } from "./schema";

/**
 * "Not acknowledged since the reconciler last looked": a `deliveries` row is written by the reconciler
 * only, so one whose consumer has acked it since is still there until the next pass. Every reader
 * filters with this, so nothing shows a delivery as outstanding once its ack is committed.
 */
export const stillUnacked: SQL = notExists(
  sql`(select 1 from ${processedEvents} where ${processedEvents.consumer} = ${deliveries.consumer} and ${processedEvents.eventId} = ${deliveries.eventId})`,
);

/**
 * Outstanding deliveries per consumer and state, with the first send of the oldest: the figures behind
 * the delivery gauges and alert rules. A query builder, so callers can put it in their own batch.
 *
 * @example
 * const [rows] = await db.batch([outstandingDeliveries(db)]);
 */
export function outstandingDeliveries(db: Db) {
  return db
    .select({
      consumer: deliveries.consumer,
      state: deliveries.state,
      count: count(),
      oldestPublishedAt: sql<number>`min(${deliveries.publishedAt})`,
    })
    .from(deliveries)
    .where(stillUnacked)
    .groupBy(deliveries.consumer, deliveries.state);
}

/** Outstanding deliveries of one state (or all), for filters that name it. */
export const inState = (state: DeliveryState | undefined) =>
  and(stillUnacked, state === undefined ? undefined : eq(deliveries.state, state));
