import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { EventEnvelope } from "../../domain/events/envelope";

/**
 * An outbox row written only if `condition` holds when the batch runs: for a fact that must be
 * recorded with a state change that may turn out to be a no-op (an `INSERT … ON CONFLICT DO NOTHING`,
 * an `UPDATE … WHERE status = 'pending'`). Put it in the same `db.batch`; the condition is evaluated
 * inside the batch's transaction, so two racing batches cannot both record the fact.
 *
 * @example
 * db.batch([outboxInsertWhen(db, event, sql`NOT EXISTS (SELECT 1 FROM t WHERE id = ${id})`, now), insertT]);
 */
export function outboxInsertWhen(db: Db, event: EventEnvelope, condition: SQL, now: number) {
  return db.run(sql`INSERT INTO outbox (id, type, subject, correlation_id, envelope, created_at)
    SELECT ${event.id}, ${event.type}, ${event.subject}, ${event.correlationid}, ${JSON.stringify(event)}, ${now}
    WHERE ${condition}`);
}
