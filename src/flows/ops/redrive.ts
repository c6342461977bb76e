import { and, asc, count, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../platform/db/client";
import { type ConsumerName, consumerForQueue } from "../../platform/events/registry";
import { deadLetters } from "../../platform/events/schema";
import { type CurrentEvent, PoisonEventError, toCurrent } from "../../platform/events/upcast";
import { CONSUMERS, SUBSCRIPTIONS } from "..";
import { afterKeys, type KeysetKeys, type KeysetOrder } from "./cursor";

/** The queue bindings a redrive may write to: one per consumer, as in the topology. */
export type Producers = Pick<Env, (typeof CONSUMERS)[ConsumerName]["producer"]>;

type Stored = Pick<typeof deadLetters.$inferSelect, "id" | "consumer" | "originQueue" | "envelope">;

export type Prepared =
  | { id: string; ok: true; event: CurrentEvent; producer: keyof Producers }
  | { id: string; ok: false; reason: string };

/** One bound parameter for any number of ids: D1 takes at most 100 per statement. */
const idIn = (ids: readonly string[]) =>
  sql`${deadLetters.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;

const isConsumer = (name: string): name is ConsumerName => Object.hasOwn(CONSUMERS, name);

/**
 * Reads a stored dead letter as a current event and finds the one queue it goes back to: its origin
 * consumer's, never the other subscribers' (they handled the event already). Says why when it cannot.
 */
export function prepareRedrive(row: Stored): Prepared {
  const consumer = isConsumer(row.consumer) ? row.consumer : consumerForQueue(row.originQueue);
  if (consumer === undefined) {
    return { id: row.id, ok: false, reason: `No consumer named '${row.consumer}' in the topology.` };
  }
  let body: unknown;
  try {
    body = JSON.parse(row.envelope);
  } catch {
    return { id: row.id, ok: false, reason: "The stored message is not JSON." };
  }
  let event: CurrentEvent;
  try {
    event = toCurrent(body);
  } catch (err) {
    if (!(err instanceof PoisonEventError)) throw err;
    return { id: row.id, ok: false, reason: err.message };
  }
  if (!SUBSCRIPTIONS[event.type].includes(consumer)) {
    return { id: row.id, ok: false, reason: `Consumer '${consumer}' no longer subscribes to ${event.type}.` };
  }
  return { id: row.id, ok: true, event, producer: CONSUMERS[consumer].producer };
}

/**
 * Sends prepared redrives, one `sendBatch` per queue (callers pass at most 100), and marks what was
 * sent as redriven. A queue that refuses its batch fails only that batch's rows, which stay dead.
 *
 * Sending comes first: a crash before the mark leaves the row dead, to be redriven again, and the
 * consumer's dedup drops the second copy. Dedup is never cleared: the failed delivery was never
 * marked done, so the redriven event is processed once.
 *
 * @example
 * const { redriven, failed } = await sendRedrives(db, env, [prepareRedrive(row)], Date.now());
 */
export async function sendRedrives(
  db: Db,
  producers: Producers,
  prepared: readonly Extract<Prepared, { ok: true }>[],
  now: number,
): Promise<{ redriven: string[]; failed: { id: string; reason: string }[] }> {
  const byQueue = new Map<keyof Producers, Extract<Prepared, { ok: true }>[]>();
  for (const p of prepared) byQueue.set(p.producer, [...(byQueue.get(p.producer) ?? []), p]);
  const failed: { id: string; reason: string }[] = [];
  const sent: string[] = [];
  await Promise.all(
    [...byQueue].map(async ([producer, list]) => {
      try {
        await producers[producer].sendBatch(
          list.map((p) => ({ body: p.event, contentType: "json" as const })),
        );
        sent.push(...list.map((p) => p.id));
      } catch (err) {
        const reason = `${producer} refused the message: ${(err as Error).message}`;
        failed.push(...list.map((p) => ({ id: p.id, reason })));
      }
    }),
  );
  if (sent.length === 0) return { redriven: [], failed };
  const marked = await db
    .update(deadLetters)
    .set({ status: "redriven", redrivenAt: now })
    .where(and(idIn(sent), eq(deadLetters.status, "dead")))
    .returning({ id: deadLetters.id });
  // A row redriven or deleted concurrently was still sent; the consumer's dedup makes that harmless.
  return { redriven: marked.map((m) => m.id), failed };
}

/** Which dead letters a list or a redrive takes: each filter given narrows it; none means all. */
export interface DeadLetterScope {
  queue?: string | undefined;
  type?: string | undefined;
  consumer?: string | undefined;
  /** The exact last error: one group of the console's dead letters page. */
  error?: string | undefined;
  ids?: readonly string[] | undefined;
}

/** The scope's conditions, for `and(...)` beside the caller's own. */
export const inScope = (s: DeadLetterScope): (SQL | undefined)[] => [
  s.queue === undefined ? undefined : eq(deadLetters.originQueue, s.queue),
  s.type === undefined ? undefined : eq(deadLetters.eventType, s.type),
  s.consumer === undefined ? undefined : eq(deadLetters.consumer, s.consumer),
  s.error === undefined ? undefined : eq(deadLetters.lastError, s.error),
  s.ids === undefined ? undefined : idIn(s.ids),
];

/**
 * Every redrive walks dead letters oldest first, the order the backlog built up in. A letter that dies
 * again after a redrive keeps its `firstFailedAt` (the dead-letter store updates its row), so a walk
 * that has passed it never meets it again.
 */
export const REDRIVE_ORDER: KeysetOrder = {
  time: deadLetters.firstFailedAt,
  id: deadLetters.id,
  direction: "asc",
};

export const deadLetterKeys = (r: { firstFailedAt: number; id: string }): KeysetKeys => [
  r.firstFailedAt,
  r.id,
];

/** Dead letters of `scope` still waiting (status `dead`), after `after` in redrive order when given. */
export const waitingIn = (scope: DeadLetterScope, after: KeysetKeys | null = null) =>
  and(
    eq(deadLetters.status, "dead"),
    ...inScope(scope),
    after === null ? undefined : afterKeys(REDRIVE_ORDER, after),
  );

/** How many dead letters of `scope` wait after `after` (all of them without it). */
export async function countWaiting(
  db: Db,
  scope: DeadLetterScope,
  after: KeysetKeys | null = null,
): Promise<number> {
  const row = await db.select({ n: count() }).from(deadLetters).where(waitingIn(scope, after)).get();
  return row?.n ?? 0;
}

export interface RedriveBatch {
  redriven: string[];
  /** Examined but not redriven (unreadable, or its queue refused it): they stay dead. */
  failed: { id: string; reason: string }[];
  /** The last letter examined, where the next batch starts after; null when none was left. */
  last: KeysetKeys | null;
  /** Letters of the scope still waiting after `last`. */
  remaining: number;
}

/**
 * Redrives the next `limit` (at most 100) dead letters of `scope` after `after`, oldest first: the one
 * step of the bulk redrive (`POST /ops/dead-letters/redrive`) and of each batch of a redrive run.
 *
 * @example
 * const batch = await redriveNext(db, env, { consumer: "email" }, null, 10, Date.now());
 * // next: redriveNext(db, env, { consumer: "email" }, batch.last, 10, later)
 */
export async function redriveNext(
  db: Db,
  producers: Producers,
  scope: DeadLetterScope,
  after: KeysetKeys | null,
  limit: number,
  now: number,
): Promise<RedriveBatch> {
  const rows = await db
    .select()
    .from(deadLetters)
    .where(waitingIn(scope, after))
    .orderBy(asc(deadLetters.firstFailedAt), asc(deadLetters.id))
    .limit(limit);
  const prepared = rows.map(prepareRedrive);
  const ready = prepared.filter((p): p is Extract<Prepared, { ok: true }> => p.ok);
  const unreadable = prepared.flatMap((p) => (p.ok ? [] : [{ id: p.id, reason: p.reason }]));
  const sent = await sendRedrives(db, producers, ready, now);
  const lastRow = rows.at(-1);
  const last = lastRow === undefined ? null : deadLetterKeys(lastRow);
  return {
    redriven: sent.redriven,
    failed: [...unreadable, ...sent.failed],
    last,
    remaining: last === null ? 0 : await countWaiting(db, scope, last),
  };
}
