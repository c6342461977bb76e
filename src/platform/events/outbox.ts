import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import type { EventEnvelope } from "./envelope";
import { jsonBytes, packBySize } from "./pack-by-size";
import { outbox, requestRecords } from "./schema";

/** The request that caused the events, recorded with them so a trace always has its root. */
export interface RequestRecord {
  requestId: string;
  method: string;
  path: string;
  userId: string | null;
  traceId: string;
}

/** An event's outbox row as first written: unpublished, unsettled. */
const rowOf = (e: EventEnvelope, now: number) => ({
  id: e.id,
  type: e.type,
  subject: e.subject,
  correlationId: e.correlationid,
  envelope: JSON.stringify(e),
  createdAt: now,
});

const rootOf = (db: Db, request: RequestRecord | undefined, now: number) =>
  request
    ? [
        db
          .insert(requestRecords)
          .values({ ...request, at: now })
          .onConflictDoNothing(),
      ]
    : [];

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
  const statements = events.map((e) => db.insert(outbox).values(rowOf(e, now)));
  return [...rootOf(db, request, now), ...statements] as const;
}

/**
 * Rows per statement of `outboxBulkStatements`, measured as the JSON parameter they travel in: D1 takes
 * a value of up to 2 MB; a quarter of that is far from the edge and still few statements.
 */
const BULK_LIMITS = { maxItems: 250, maxBytes: 512 * 1024 };

const column = (name: keyof ReturnType<typeof rowOf>) => sql.raw(`json_extract(value, '$.${name}')`);

/**
 * `outboxStatements` for many events (hundreds): each statement inserts up to 250 rows from one JSON
 * parameter, where a plain multi-row insert would bind 7 parameters a row against D1's 100 a
 * statement, so a thousand events cost 4 statements rather than 72 (or a thousand).
 *
 * @example
 * const [first, ...rest] = outboxBulkStatements(db, events, request, now);
 * await db.batch([first!, ...rest]);
 */
export function outboxBulkStatements(
  db: Db,
  events: readonly EventEnvelope[],
  request?: RequestRecord,
  now = Date.now(),
) {
  const rows = events.map((e) => rowOf(e, now));
  const statements = packBySize(rows, jsonBytes, BULK_LIMITS).map((chunk) =>
    db.insert(outbox).select(
      db
        .select({
          id: sql<string>`${column("id")}`.as("id"),
          type: sql<string>`${column("type")}`.as("type"),
          subject: sql<string>`${column("subject")}`.as("subject"),
          correlationId: sql<string>`${column("correlationId")}`.as("correlation_id"),
          envelope: sql<string>`${column("envelope")}`.as("envelope"),
          createdAt: sql<number>`${now}`.as("created_at"),
          publishedAt: sql<number | null>`null`.as("published_at"),
          publishAttempts: sql<number>`0`.as("publish_attempts"),
          lastError: sql<string | null>`null`.as("last_error"),
          settledAt: sql<number | null>`null`.as("settled_at"),
        })
        .from(sql`json_each(${JSON.stringify(chunk)})`)
        // WHERE keeps SQLite from reading a caller's ON CONFLICT as a join constraint of the SELECT.
        .where(sql`true`),
    ),
  );
  return [...rootOf(db, request, now), ...statements] as const;
}
