import type { Db } from "../db/client";
import type { EventEnvelope } from "./envelope";
import { outbox, requestRecords } from "./schema";

/** The request that caused the events, recorded with them so a trace always has its root. */
export interface RequestRecord {
  requestId: string;
  method: string;
  path: string;
  userId: string | null;
  traceId: string;
}

/**
 * Statements that write events to the outbox, for the caller's `db.batch` together with the state
 * change they describe: D1 commits both or neither. Nothing ever sends to a queue directly; the relay
 * and the sweeper publish what is here.
 *
 * @example
 * await db.batch([db.insert(users).values(user), ...outboxStatements(db, [event], request)]);
 */
export function outboxStatements(
  db: Db,
  events: readonly EventEnvelope[],
  request?: RequestRecord,
  now = Date.now(),
) {
  const statements = events.map((e) =>
    db.insert(outbox).values({
      id: e.id,
      type: e.type,
      subject: e.subject,
      correlationId: e.correlationid,
      envelope: JSON.stringify(e),
      createdAt: now,
    }),
  );
  const root = request
    ? [
        db
          .insert(requestRecords)
          .values({ ...request, at: now })
          .onConflictDoNothing(),
      ]
    : [];
  return [...root, ...statements] as const;
}
