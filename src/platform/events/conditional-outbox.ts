import { getTableColumns, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import type { EventEnvelope } from "./envelope";
import { outbox } from "./schema";

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
  const row: Required<typeof outbox.$inferInsert> = {
    id: event.id,
    type: event.type,
    subject: event.subject,
    correlationId: event.correlationid,
    envelope: JSON.stringify(event),
    createdAt: now,
    publishedAt: null,
    publishAttempts: 0,
    lastError: null,
    settledAt: null,
  };
  // drizzle's INSERT … SELECT takes raw SQL for every column, in the table's order.
  const values = Object.keys(getTableColumns(outbox)).map((k) => sql`${row[k as keyof typeof row]}`);
  return db.insert(outbox).select(sql`SELECT ${sql.join(values, sql`, `)} WHERE ${condition}`);
}
