import { and, asc, inArray, isNull, lt, sql } from "drizzle-orm";
import { getDb } from "../db/client";
import type { Logger } from "../observability/logger";
import type { EventEnvelope } from "./envelope";
import { sendToSubscribers } from "./fan-out";
import { outbox } from "./schema";

export interface RelayResult {
  published: string[];
  failed: { id: string; error: string }[];
}

/**
 * Publishes events to the queue of every consumer subscribed to their type, then marks them published.
 * Delivery is at least once: if the worker dies after sending and before marking, the sweeper sends
 * again and consumers drop the duplicate by event id. An event whose sends fail stays unpublished,
 * with the error recorded, for the sweeper. Each `event.relayed` line's `durationMs` runs from `now`:
 * the commit, for `publishNow`; the sweep's start, for the sweeper.
 */
export async function relay(
  env: Env,
  events: readonly EventEnvelope[],
  log: Logger,
  now = Date.now(),
): Promise<RelayResult> {
  const failedIds = await sendToSubscribers(env, events);
  const published = events.map((e) => e.id).filter((id) => !failedIds.has(id));
  const failed = [...failedIds].map(([id, error]) => ({ id, error }));
  const db = getDb(env.DB);
  const writes = [];
  if (published.length > 0) {
    // The ids travel as one JSON parameter: a sweep of up to 500 rows would exceed D1's 100 bound
    // parameters per statement as a plain IN list.
    const ids = JSON.stringify(published);
    writes.push(
      db
        .update(outbox)
        .set({ publishedAt: Date.now() })
        .where(inArray(outbox.id, sql`(select value from json_each(${ids}))`)),
    );
  }
  for (const f of failed) {
    writes.push(
      db
        .update(outbox)
        .set({ publishAttempts: sql`${outbox.publishAttempts} + 1`, lastError: f.error })
        .where(inArray(outbox.id, [f.id])),
    );
  }
  if (writes.length > 0) await db.batch(writes as [(typeof writes)[number], ...typeof writes]);
  for (const e of events) {
    log.info("event.relayed", {
      eventId: e.id,
      type: e.type,
      correlationId: e.correlationid,
      causationId: e.causationid,
      outcome: failedIds.has(e.id) ? "failed" : "published",
      durationMs: Date.now() - now,
      error: failedIds.get(e.id),
    });
  }
  return { published, failed };
}

/** Rows the relay has had time to publish but did not: the relay died, or its sends failed. */
export async function unpublishedOlderThan(
  env: Env,
  cutoff: number,
  limit: number,
): Promise<EventEnvelope[]> {
  const rows = await getDb(env.DB)
    .select({ envelope: outbox.envelope })
    .from(outbox)
    .where(and(isNull(outbox.publishedAt), lt(outbox.createdAt, cutoff)))
    .orderBy(asc(outbox.createdAt))
    .limit(limit);
  return rows.map((r) => JSON.parse(r.envelope) as EventEnvelope);
}
