import { z } from "@hono/zod-openapi";
import { and, desc, eq, lt } from "drizzle-orm";
import { listFingerprint } from "../../../flows/ops/cursor";
import { type Db, getDb } from "../../../platform/db/client";
import { isEventType } from "../../../platform/events/registry";
import { outbox } from "../../../platform/events/schema";
import { idTimeFloor } from "../../../platform/ids";
import { afterCursor, iso, isoOrNull, type Keyset, pageQuery, toPage } from "../../ops/ops.shared";

/** What `<input type="datetime-local">` sends, read as UTC. */
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

export const EventListQuery = z.strictObject({
  type: z.string().max(128).refine(isEventType, "must be an event type Crossdock publishes").optional(),
  before: z
    .string()
    .regex(LOCAL_DATE_TIME, "must be a UTC date and time as YYYY-MM-DDTHH:MM")
    .refine((v) => !Number.isNaN(Date.parse(`${v}Z`)), "must be a real date and time")
    .optional(),
  ...pageQuery,
});
export type EventListFilters = z.output<typeof EventListQuery>;

const keysetOf = ({ type, before }: EventListFilters): Keyset => ({
  // Event ids are time-ordered (`newId("evt", now)`), so the primary key is the list's order: a page is
  // one seek on it however large the outbox, with no index of its own for every fact to pay for.
  id: outbox.id,
  direction: "desc",
  fingerprint: listFingerprint("events", { type, before }),
});

/**
 * The query of one page of facts in the outbox, newest first, by type and creation time: a seek on the
 * primary key (`id < cursor`, or `id <` the first possible id of `before`), `limit + 1` rows of the
 * columns a list shows, never the envelope. Filtering by type walks the same key and skips the other
 * types' rows, so its cost follows how common the type is, not the outbox's size alone.
 *
 * @throws InvalidCursorError for a cursor from another list or filters.
 */
export function eventListQuery(db: Db, filters: EventListFilters) {
  const { type, before, limit, cursor } = filters;
  return db
    .select({
      id: outbox.id,
      type: outbox.type,
      subject: outbox.subject,
      correlationId: outbox.correlationId,
      createdAt: outbox.createdAt,
      publishedAt: outbox.publishedAt,
      settledAt: outbox.settledAt,
    })
    .from(outbox)
    .where(
      and(
        type === undefined ? undefined : eq(outbox.type, type),
        before === undefined ? undefined : lt(outbox.id, idTimeFloor("evt", Date.parse(`${before}Z`))),
        afterCursor(keysetOf(filters), cursor),
      ),
    )
    .orderBy(desc(outbox.id))
    .limit(limit + 1);
}

/** One page of facts for the console's Events page. */
export async function eventsPage(env: Env, filters: EventListFilters) {
  const rows = await eventListQuery(getDb(env.DB), filters);
  const page = toPage(rows, filters.limit, (r) => [r.createdAt, r.id], keysetOf(filters).fingerprint);
  return {
    items: page.items.map((r) => ({
      ...r,
      createdAt: iso(r.createdAt),
      publishedAt: isoOrNull(r.publishedAt),
      settledAt: isoOrNull(r.settledAt),
    })),
    nextCursor: page.nextCursor,
  };
}
