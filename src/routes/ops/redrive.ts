import { and, eq, inArray } from "drizzle-orm";
import { CONSUMERS, SUBSCRIPTIONS } from "../../flows";
import type { Db } from "../../platform/db/client";
import { type ConsumerName, consumerForQueue } from "../../platform/events/registry";
import { deadLetters } from "../../platform/events/schema";
import { type CurrentEvent, PoisonEventError, toCurrent } from "../../platform/events/upcast";

/** The queue bindings a redrive may write to: one per consumer, as in the topology. */
export type Producers = Pick<Env, (typeof CONSUMERS)[ConsumerName]["producer"]>;

type Stored = Pick<typeof deadLetters.$inferSelect, "id" | "consumer" | "originQueue" | "envelope">;

export type Prepared =
  | { id: string; ok: true; event: CurrentEvent; producer: keyof Producers }
  | { id: string; ok: false; reason: string };

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
    .where(and(inArray(deadLetters.id, sent), eq(deadLetters.status, "dead")))
    .returning({ id: deadLetters.id });
  // A row redriven or deleted concurrently was still sent; the consumer's dedup makes that harmless.
  return { redriven: marked.map((m) => m.id), failed };
}
