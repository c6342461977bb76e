import type { RouteHandler } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { encodeCursor, listFingerprint } from "../../flows/ops/cursor";
import {
  type DeadLetterScope,
  deadLetterKeys,
  inScope,
  prepareRedrive,
  redriveNext,
  sendRedrives,
} from "../../flows/ops/redrive";
import { getDb } from "../../platform/db/client";
import { AppError, ConflictError, NotFoundError, UnprocessableError } from "../../platform/errors";
import { type DEAD_LETTER_STATUSES, deadLetters } from "../../platform/events/schema";
import type { AppEnv } from "../../platform/http/app-env";
import type { Logger } from "../../platform/observability/logger";
import type {
  bulkRedriveRoute,
  deleteDeadLetterRoute,
  getDeadLetterRoute,
  listDeadLettersRoute,
  redriveDeadLetterRoute,
} from "./dead-letters.routes";
import { afterCursor, cursorKeys, type Keyset, toPage } from "./ops.shared";
import { toDeadLetterView } from "./views";

/**
 * One page of dead letters in a status and scope, newest first (the API's list and the console's):
 * `limit + 1` rows read, never more. @throws InvalidCursorError for a cursor of another list or scope.
 */
export async function deadLetterPage(
  env: Pick<Env, "DB">,
  list: string,
  { status, ...scope }: DeadLetterScope & { status: (typeof DEAD_LETTER_STATUSES)[number] },
  limit: number,
  cursor: string | undefined,
) {
  const keyset: Keyset = {
    time: deadLetters.firstFailedAt,
    id: deadLetters.id,
    direction: "desc",
    fingerprint: listFingerprint(list, { status, ...scope, ids: undefined }),
  };
  const rows = await getDb(env.DB)
    .select()
    .from(deadLetters)
    .where(and(eq(deadLetters.status, status), ...inScope(scope), afterCursor(keyset, cursor)))
    .orderBy(desc(deadLetters.firstFailedAt), desc(deadLetters.id))
    .limit(limit + 1);
  return toPage(rows, limit, deadLetterKeys, keyset.fingerprint);
}

export const listDeadLetters: RouteHandler<typeof listDeadLettersRoute, AppEnv> = async (c) => {
  const { limit, cursor, ...filters } = c.req.valid("query");
  const page = await deadLetterPage(c.env, "dead-letters", filters, limit, cursor);
  return c.json({ items: page.items.map(toDeadLetterView), nextCursor: page.nextCursor }, 200);
};

/** One dead letter by id, any status. @throws NotFoundError */
export async function findDeadLetter(env: Pick<Env, "DB">, id: string) {
  const row = await getDb(env.DB).select().from(deadLetters).where(eq(deadLetters.id, id)).get();
  if (!row) throw new NotFoundError("dead letter", id);
  return row;
}

export const getDeadLetter: RouteHandler<typeof getDeadLetterRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  return c.json(toDeadLetterView(await findDeadLetter(c.env, id)), 200);
};

/**
 * Redrives one dead letter (the API's and the console's redrive): 404 unknown, 409 already redriven,
 * 422 unreadable, 503 when its queue refused it; nothing changes in those cases.
 */
export async function redriveOne(env: Env, id: string, now: number, log: Logger): Promise<void> {
  const row = await findDeadLetter(env, id);
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
  const { failed } = await sendRedrives(getDb(env.DB), env, [prepared], now);
  if (failed[0]) {
    throw new AppError(503, "queue-unavailable", "Service unavailable", failed[0].reason);
  }
  log.info("dead-letter.redriven", { deadLetterId: id, eventId: row.eventId, consumer: row.consumer });
}

export const redriveDeadLetter: RouteHandler<typeof redriveDeadLetterRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  await redriveOne(c.env, id, Date.now(), c.get("log"));
  return c.json({ id, status: "redriven" as const }, 202);
};

export const bulkRedrive: RouteHandler<typeof bulkRedriveRoute, AppEnv> = async (c) => {
  const { cursor, limit, ...filters } = c.req.valid("json");
  const fingerprint = listFingerprint("dead-letters/redrive", filters);
  const after = cursorKeys(cursor, fingerprint) ?? null;
  const batch = await redriveNext(getDb(c.env.DB), c.env, filters, after, limit, Date.now());
  c.get("log").info("dead-letters.redriven", {
    filters,
    redriven: batch.redriven.length,
    failed: batch.failed.length,
    remaining: batch.remaining,
  });
  return c.json(
    {
      redriven: batch.redriven.length,
      failed: batch.failed,
      remaining: batch.remaining,
      nextCursor: batch.remaining > 0 && batch.last !== null ? encodeCursor(batch.last, fingerprint) : null,
    },
    200,
  );
};

/**
 * Discards a waiting dead letter: the row stays, as the record that an operator gave the delivery up,
 * and the delivery ledger counts it as settled. Only a dead one can be discarded (a redriven one is back
 * with its consumer); anything else is 404, as if already gone. The reason, when given, is logged here
 * and kept in the audit log with the request's body.
 */
export async function discardOne(
  env: Pick<Env, "DB">,
  id: string,
  reason: string | undefined,
  now: number,
  log: Logger,
): Promise<void> {
  const discarded = await getDb(env.DB)
    .update(deadLetters)
    .set({ status: "discarded", discardedAt: now })
    .where(and(eq(deadLetters.id, id), eq(deadLetters.status, "dead")))
    .returning({ id: deadLetters.id, eventId: deadLetters.eventId, consumer: deadLetters.consumer });
  if (discarded.length === 0) throw new NotFoundError("dead letter", id);
  log.info("dead-letter.discarded", { deadLetterId: id, ...discarded[0], reason });
}

export const deleteDeadLetter: RouteHandler<typeof deleteDeadLetterRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json") as { reason?: string } | undefined;
  await discardOne(c.env, id, body?.reason, Date.now(), c.get("log"));
  return c.body(null, 204);
};
