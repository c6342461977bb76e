import { type ConsumerName, topology } from "./registry";

/**
 * Where a backlog figure came from: the queue's own count (`metrics()` on its producer binding), or
 * Crossdock's tables (the delivery ledger, the outbox, the stored dead letters).
 */
export const BACKLOG_SOURCES = ["queue", "crossdock"] as const;
export type BacklogSource = (typeof BACKLOG_SOURCES)[number];

/** What a queue says it holds: messages, their bytes, and when the oldest was sent (null: none waits). */
export interface QueueBacklog {
  count: number;
  bytes: number;
  oldestAt: number | null;
}

/**
 * A queue's own backlog figures, or null where its binding has no `metrics()` (an older runtime) or the
 * call fails: the caller then keeps Crossdock's figure. The runtime leaves `oldestMessageTimestamp` out
 * of an empty queue's figures, and a batch handed over by hand carries the epoch there: both are "none".
 *
 * @example
 * await queueBacklogOf(env.EMAIL_QUEUE) // { count: 3, bytes: 2048, oldestAt: 1764950400000 }
 */
export async function queueBacklogOf(binding: unknown): Promise<QueueBacklog | null> {
  const queue = binding as Partial<Queue> | undefined;
  if (typeof queue?.metrics !== "function") return null;
  try {
    const m = await queue.metrics();
    const oldest = m.oldestMessageTimestamp === undefined ? 0 : new Date(m.oldestMessageTimestamp).getTime();
    return {
      count: m.backlogCount,
      bytes: m.backlogBytes,
      oldestAt: m.backlogCount > 0 && oldest > 0 ? oldest : null,
    };
  } catch {
    return null;
  }
}

/**
 * One consumer's queue figures, through the producer binding its flow declares (`producer`, the one
 * wrangler.toml maps to `crossdock-<consumer>`), or null as `queueBacklogOf`.
 */
export const readQueueBacklog = (env: Env, consumer: ConsumerName): Promise<QueueBacklog | null> =>
  queueBacklogOf(env[topology().consumers[consumer].producer]);

/**
 * Every consumer's queue figures, read side by side. Dead-letter queues have no producer binding in this
 * worker, so they are not here: their backlog is the stored dead letters.
 */
export async function readQueueBacklogs(env: Env): Promise<Map<ConsumerName, QueueBacklog | null>> {
  const names = Object.keys(topology().consumers) as ConsumerName[];
  const figures = await Promise.all(names.map((name) => readQueueBacklog(env, name)));
  return new Map(names.map((name, i) => [name, figures[i] ?? null]));
}
