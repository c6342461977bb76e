import type { RouteHandler } from "@hono/zod-openapi";
import { and, asc, count, desc, eq } from "drizzle-orm";
import { encodeCursor, listFingerprint } from "../../flows/ops/cursor";
import { getDb } from "../../platform/db/client";
import { AppError, ConflictError, NotFoundError, UnprocessableError } from "../../platform/errors";
import { deadLetters } from "../../platform/events/schema";
import type { AppEnv } from "../../platform/http/app-env";
import type {
  bulkRedriveRoute,
  deleteDeadLetterRoute,
  getDeadLetterRoute,
  listDeadLettersRoute,
  redriveDeadLetterRoute,
} from "./dead-letters.routes";
import { afterCursor, afterKeys, type Keyset, toPage } from "./ops.shared";
import { type Prepared, prepareRedrive, sendRedrives } from "./redrive";
import { toDeadLetterView } from "./views";

interface Filters {
  queue?: string | undefined;
  type?: string | undefined;
  consumer?: string | undefined;
}

const matching = (f: Filters) => [
  f.queue === undefined ? undefined : eq(deadLetters.originQueue, f.queue),
  f.type === undefined ? undefined : eq(deadLetters.eventType, f.type),
  f.consumer === undefined ? undefined : eq(deadLetters.consumer, f.consumer),
];

const keysOf = (r: { firstFailedAt: number; id: string }) => [r.firstFailedAt, r.id] as const;

export const listDeadLetters: RouteHandler<typeof listDeadLettersRoute, AppEnv> = async (c) => {
  const { limit, cursor, ...filters } = c.req.valid("query");
  const keyset: Keyset = {
    time: deadLetters.firstFailedAt,
    id: deadLetters.id,
    direction: "desc",
    fingerprint: listFingerprint("dead-letters", filters),
  };
  const rows = await getDb(c.env.DB)
    .select()
    .from(deadLetters)
    .where(and(eq(deadLetters.status, filters.status), ...matching(filters), afterCursor(keyset, cursor)))
    .orderBy(desc(deadLetters.firstFailedAt), desc(deadLetters.id))
    .limit(limit + 1);
  const page = toPage(rows, limit, keysOf, keyset.fingerprint);
  return c.json({ items: page.items.map(toDeadLetterView), nextCursor: page.nextCursor }, 200);
};

async function find(env: Env, id: string) {
  const row = await getDb(env.DB).select().from(deadLetters).where(eq(deadLetters.id, id)).get();
  if (!row) throw new NotFoundError("dead letter", id);
  return row;
}

export const getDeadLetter: RouteHandler<typeof getDeadLetterRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  return c.json(toDeadLetterView(await find(c.env, id)), 200);
};

export const redriveDeadLetter: RouteHandler<typeof redriveDeadLetterRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const row = await find(c.env, id);
  if (row.status === "redriven") {
    const when = row.redrivenAt === null ? "" : ` at ${new Date(row.redrivenAt).toISOString()}`;
    throw new ConflictError(
      `Dead letter '${id}' was already redriven${when}; if it fails again it comes back as dead.`,
      "already-redriven",
    );
  }
  const prepared = prepareRedrive(row);
  if (!prepared.ok) {
    const { reason } = prepared;
    throw new UnprocessableError(`Dead letter '${id}' cannot be redriven: ${reason}`, "not-redrivable", {
      reason,
    });
  }
  const { failed } = await sendRedrives(getDb(c.env.DB), c.env, [prepared], Date.now());
  if (failed[0]) {
    throw new AppError(503, "queue-unavailable", "Service unavailable", failed[0].reason);
  }
  c.get("log").info("dead-letter.redriven", {
    deadLetterId: id,
    eventId: row.eventId,
    consumer: row.consumer,
  });
  return c.json({ id, status: "redriven" as const }, 202);
};

export const bulkRedrive: RouteHandler<typeof bulkRedriveRoute, AppEnv> = async (c) => {
  const { cursor, limit, ...filters } = c.req.valid("json");
  const db = getDb(c.env.DB);
  // Oldest first, so an operator works the backlog in the order it built up.
  const keyset: Keyset = {
    time: deadLetters.firstFailedAt,
    id: deadLetters.id,
    direction: "asc",
    fingerprint: listFingerprint("dead-letters/redrive", filters),
  };
  const dead = [eq(deadLetters.status, "dead"), ...matching(filters)];
  const rows = await db
    .select()
    .from(deadLetters)
    .where(and(...dead, afterCursor(keyset, cursor)))
    .orderBy(asc(deadLetters.firstFailedAt), asc(deadLetters.id))
    .limit(limit);

  const prepared = rows.map(prepareRedrive);
  const ready = prepared.filter((p): p is Extract<Prepared, { ok: true }> => p.ok);
  const unreadable = prepared.filter((p): p is Extract<Prepared, { ok: false }> => !p.ok);
  const sent = await sendRedrives(db, c.env, ready, Date.now());
  const failed = [...unreadable.map(({ id, reason }) => ({ id, reason })), ...sent.failed];

  const last = rows.at(-1);
  const remaining =
    last === undefined
      ? 0
      : ((
          await db
            .select({ n: count() })
            .from(deadLetters)
            .where(and(...dead, afterKeys(keyset, keysOf(last))))
            .get()
        )?.n ?? 0);
  c.get("log").info("dead-letters.redriven", {
    filters,
    redriven: sent.redriven.length,
    failed: failed.length,
    remaining,
  });
  return c.json(
    {
      redriven: sent.redriven.length,
      failed,
      remaining,
      nextCursor: remaining > 0 && last !== undefined ? encodeCursor(keysOf(last), keyset.fingerprint) : null,
    },
    200,
  );
};

/**
 * Discards a waiting dead letter: the row stays, as the record that an operator gave the delivery up,
 * and the delivery ledger counts it as settled. Only a dead one can be discarded (a redriven one is back
 * with its consumer); anything else is 404, as if already gone.
 */
export const deleteDeadLetter: RouteHandler<typeof deleteDeadLetterRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const discarded = await getDb(c.env.DB)
    .update(deadLetters)
    .set({ status: "discarded", discardedAt: Date.now() })
    .where(and(eq(deadLetters.id, id), eq(deadLetters.status, "dead")))
    .returning({ id: deadLetters.id, eventId: deadLetters.eventId, consumer: deadLetters.consumer });
  if (discarded.length === 0) throw new NotFoundError("dead letter", id);
  c.get("log").info("dead-letter.discarded", { deadLetterId: id, ...discarded[0] });
  return c.body(null, 204);
};
