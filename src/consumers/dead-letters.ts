import { and, desc, eq, inArray } from "drizzle-orm";
import { CONSUMERS } from "../flows";
import { evaluateAlerts } from "../flows/ops/alerting";
import { backoffDelay } from "../platform/backoff";
import { getDb } from "../platform/db/client";
import { QUEUE_RETRY_BACKOFF } from "../platform/events/backoff";
import { deadLetterStatements } from "../platform/events/dead-letters";
import type { ConsumerName } from "../platform/events/registry";
import { consumerAttempts, RETRIED_OUTCOMES } from "../platform/events/schema";
import { createLogger, errorFields, type Logger } from "../platform/observability/logger";

/** What the origin consumer's attempts say about a message that ran out of retries. */
interface FailureHistory {
  lastError: string;
  attempts: number;
  firstFailedAt: number;
}

const idOf = (body: unknown): string | null => {
  const id = (body as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id : null;
};

/**
 * The failures the origin consumer recorded for these events, newest first: the last error, how many
 * attempts were made and when the first one failed. A message on a DLQ starts its own attempt count
 * at 1, so the origin's count has to come from here.
 */
async function failureHistories(
  env: Env,
  consumer: ConsumerName,
  eventIds: string[],
): Promise<Map<string, FailureHistory>> {
  const histories = new Map<string, FailureHistory>();
  if (eventIds.length === 0) return histories;
  const rows = await getDb(env.DB)
    .select({
      eventId: consumerAttempts.eventId,
      attempt: consumerAttempts.attempt,
      error: consumerAttempts.error,
      startedAt: consumerAttempts.startedAt,
    })
    .from(consumerAttempts)
    .where(
      and(
        eq(consumerAttempts.consumer, consumer),
        inArray(consumerAttempts.eventId, eventIds),
        inArray(consumerAttempts.outcome, [...RETRIED_OUTCOMES]),
      ),
    )
    .orderBy(desc(consumerAttempts.startedAt), desc(consumerAttempts.id));
  for (const r of rows) {
    const h = histories.get(r.eventId);
    if (!h) {
      histories.set(r.eventId, {
        lastError: r.error ?? "retries exhausted",
        attempts: r.attempt,
        firstFailedAt: r.startedAt,
      });
    } else {
      h.attempts = Math.max(h.attempts, r.attempt);
      h.firstFailedAt = Math.min(h.firstFailedAt, r.startedAt);
    }
  }
  return histories;
}

/**
 * Consumes a dead-letter queue (`<consumer queue>-dlq`): stores every message in `dead_letters` with
 * its origin queue, envelope, last error, attempts, first and last failure time and size, then acks
 * it, so nothing is ever dropped. A message whose row cannot be written is retried (and after this
 * queue's own retries lands in crossdock-dead-letters-unstored). Then evaluates the alert rules, since
 * a new dead letter may be what tips one over.
 */
export async function handleDeadLetters(
  consumer: ConsumerName,
  batch: MessageBatch<unknown>,
  env: Env,
  log: Logger = createLogger({ consumer: "dead-letters", queue: batch.queue }),
): Promise<void> {
  if (batch.messages.length === 0) return;
  const db = getDb(env.DB);
  const now = Date.now();
  const ids = batch.messages.map((m) => idOf(m.body)).filter((id): id is string => id !== null);
  const histories = await failureHistories(env, consumer, [...new Set(ids)]).catch((err) => {
    log.error("dead-letters.history-failed", errorFields(err));
    return new Map<string, FailureHistory>();
  });

  const work = batch.messages.map((msg) => {
    const history = histories.get(idOf(msg.body) ?? "");
    return {
      msg,
      statements: deadLetterStatements(db, {
        originQueue: CONSUMERS[consumer].queue,
        consumer,
        body: msg.body,
        error: history?.lastError ?? "retries exhausted",
        attempts: history?.attempts ?? msg.attempts,
        firstFailedAt: history?.firstFailedAt,
        now,
      }),
    };
  });
  const stored = (w: (typeof work)[number]) => {
    w.msg.ack();
    log.error("event.dead-lettered", { eventId: idOf(w.msg.body), messageId: w.msg.id });
  };
  const all = work.flatMap((w) => w.statements);
  try {
    await db.batch(all as [(typeof all)[number], ...typeof all]);
    for (const w of work) stored(w);
  } catch {
    // One row that cannot be written must not hold back the others: store each on its own.
    for (const w of work) {
      try {
        await db.batch(w.statements);
        stored(w);
      } catch (err) {
        log.error("dead-letters.store-failed", { messageId: w.msg.id, ...errorFields(err) });
        w.msg.retry({ delaySeconds: backoffDelay(w.msg.attempts, QUEUE_RETRY_BACKOFF, Math.random) });
      }
    }
  }

  await evaluateAlerts(env, Date.now(), log).catch((err) => log.error("alerts.failed", errorFields(err)));
}
