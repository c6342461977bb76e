import {
  type AnyColumn,
  and,
  asc,
  desc,
  gt,
  gte,
  inArray,
  isNotNull,
  isNull,
  lt,
  or,
  sql,
} from "drizzle-orm";
import { backoffCeiling } from "../backoff";
import { type Db, getDb } from "../db/client";
import type { Logger } from "../observability/logger";
import { QUEUE_RETRY_BACKOFF } from "./backoff";
import type { D1Statement } from "./consumer";
import { deadLetterStatements } from "./dead-letters";
import { type DeliveryFacts, type DeliveryPolicy, decideDelivery, giveUpReason } from "./deliveries";
import type { EventEnvelope } from "./envelope";
import { sendToConsumer } from "./fan-out";
import { type QueueBacklog, readQueueBacklog } from "./queue-backlog";
import { type ConsumerName, isEventType, topology } from "./registry";
import { consumerAttempts, deadLetters, deliveries, outbox, processedEvents } from "./schema";

/** Facts looked at per page, and pages per pass: a pass stays well inside one invocation's limits. */
const PAGE = 100;
const MAX_PAGES = 10;
/** D1 binds at most 100 parameters per statement; a `deliveries` row has 12 columns. */
const ROWS_PER_UPSERT = 8;

export function deliveryPolicy(env: Pick<Env, "DELIVERY_GRACE_SECONDS" | "DELIVERY_MAX_RESENDS">) {
  const grace = Number(env.DELIVERY_GRACE_SECONDS);
  const max = Number(env.DELIVERY_MAX_RESENDS);
  return {
    graceMs: (Number.isFinite(grace) && grace > 0 ? grace : 15) * 1000,
    maxQuietMs: 3_600_000,
    maxResends: Number.isInteger(max) && max >= 0 ? max : 8,
    // Until the longest queue retry delay has passed, a retried message may still be queued.
    retryDelayMs: (attempt: number) => backoffCeiling(attempt, QUEUE_RETRY_BACKOFF) * 1000,
  } satisfies DeliveryPolicy;
}

export interface ReconcileResult {
  /** Facts looked at (published and older than the grace period, not yet settled). */
  checked: number;
  /** Facts now proven delivered to every subscriber. */
  settled: number;
  resent: number;
  /** Deliveries the reconciler dead-lettered after its last re-send. */
  deadLettered: number;
  /** Deliveries still outstanding after this pass. */
  outstanding: number;
  /** Of those, due for a re-send but left alone: their queue still holds older messages (it is behind). */
  behind: number;
  /** When the next pass has work to do (a delivery or a fresh fact comes due); null when none. */
  nextDueAt: number | null;
}

type OutboxRow = {
  id: string;
  type: string;
  envelope: string;
  publishedAt: number | null;
  correlationId: string;
};

/**
 * One pass of the delivery reconciler: for every published fact older than the grace period that is
 * not yet settled, checks each subscribed consumer's acknowledgement, re-sends the quiet ones to that
 * consumer's own queue (never to the others) unless that queue is behind (it still holds older
 * messages, by its own `metrics()`), dead-letters those that used up their re-sends, records
 * what is outstanding in `deliveries` and marks facts settled once every subscriber has acknowledged.
 * Run by the every-minute cron and by the OutboxSweeper alarm. Re-sends are at least once: consumers
 * dedup by event id, so a re-send of something already done changes nothing.
 */
export async function reconcileDeliveries(
  env: Env,
  now: number,
  log: Logger,
  policy: DeliveryPolicy = deliveryPolicy(env),
): Promise<ReconcileResult> {
  const db = getDb(env.DB);
  const cutoff = now - policy.graceMs;
  const total: ReconcileResult = {
    checked: 0,
    settled: 0,
    resent: 0,
    deadLettered: 0,
    outstanding: 0,
    behind: 0,
    nextDueAt: null,
  };
  // Each consumer's queue figures, read at most once per pass (see reconcilePage).
  const backlogs = new Map<ConsumerName, QueueBacklog | null>();
  const due = (at: number | null) => {
    if (at !== null && (total.nextDueAt === null || at < total.nextDueAt)) total.nextDueAt = at;
  };
  let after: { publishedAt: number; id: string } | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const rows: OutboxRow[] = await db
      .select({
        id: outbox.id,
        type: outbox.type,
        envelope: outbox.envelope,
        publishedAt: outbox.publishedAt,
        correlationId: outbox.correlationId,
      })
      .from(outbox)
      .where(
        and(
          isNull(outbox.settledAt),
          isNotNull(outbox.publishedAt),
          lt(outbox.publishedAt, cutoff),
          after === null
            ? undefined
            : or(
                gt(outbox.publishedAt, after.publishedAt),
                and(sql`${outbox.publishedAt} = ${after.publishedAt}`, gt(outbox.id, after.id)),
              ),
        ),
      )
      .orderBy(asc(outbox.publishedAt), asc(outbox.id))
      .limit(PAGE);
    if (rows.length === 0) break;
    const result = await reconcilePage(env, db, rows, backlogs, policy, now, log);
    total.checked += rows.length;
    total.settled += result.settled;
    total.resent += result.resent;
    total.deadLettered += result.deadLettered;
    total.outstanding += result.outstanding;
    total.behind += result.behind;
    due(result.nextDueAt);
    const last = rows.at(-1)!;
    after = { publishedAt: last.publishedAt!, id: last.id };
    if (rows.length < PAGE) break;
    if (page === MAX_PAGES - 1) due(now); // more than one pass can take: come back at once
  }
  // Facts still inside their grace period come due when it ends.
  const fresh = await db
    .select({ oldest: sql<number | null>`min(${outbox.publishedAt})` })
    .from(outbox)
    .where(and(isNull(outbox.settledAt), gte(outbox.publishedAt, cutoff)))
    .get();
  if (fresh?.oldest != null) due(fresh.oldest + policy.graceMs);
  if (total.checked > 0) log.info("deliveries.reconciled", { ...total });
  return total;
}

async function reconcilePage(
  env: Env,
  db: Db,
  rows: readonly OutboxRow[],
  backlogs: Map<ConsumerName, QueueBacklog | null>,
  policy: DeliveryPolicy,
  now: number,
  log: Logger,
) {
  const ids = JSON.stringify(rows.map((r) => r.id));
  const inIds = (column: Parameters<typeof inArray>[0] & AnyColumn) =>
    inArray(column, sql`(select value from json_each(${ids}))`);
  const [acks, dead, attempts, tracked] = await db.batch([
    db
      .select({ consumer: processedEvents.consumer, eventId: processedEvents.eventId })
      .from(processedEvents)
      .where(inIds(processedEvents.eventId)),
    db
      .select({
        consumer: deadLetters.consumer,
        eventId: deadLetters.eventId,
        status: deadLetters.status,
        redrivenAt: deadLetters.redrivenAt,
        lastError: deadLetters.lastError,
      })
      .from(deadLetters)
      .where(inIds(deadLetters.eventId)),
    db
      .select({
        consumer: consumerAttempts.consumer,
        eventId: consumerAttempts.eventId,
        attempt: consumerAttempts.attempt,
        outcome: consumerAttempts.outcome,
        startedAt: consumerAttempts.startedAt,
        error: consumerAttempts.error,
      })
      .from(consumerAttempts)
      .where(inIds(consumerAttempts.eventId))
      .orderBy(desc(consumerAttempts.startedAt), desc(consumerAttempts.id)),
    db
      .select({
        consumer: deliveries.consumer,
        eventId: deliveries.eventId,
        resends: deliveries.resends,
        lastResentAt: deliveries.lastResentAt,
        heartbeatAt: deliveries.heartbeatAt,
      })
      .from(deliveries)
      .where(inIds(deliveries.eventId)),
  ]);
  const key = (consumer: string, eventId: string) => `${consumer}/${eventId}`;
  const acked = new Set(acks.map((a) => key(a.consumer, a.eventId)));
  const deadBy = new Map(dead.map((d) => [key(d.consumer, d.eventId), d]));
  const lastAttemptBy = new Map<string, (typeof attempts)[number]>();
  for (const a of attempts)
    if (!lastAttemptBy.has(key(a.consumer, a.eventId))) lastAttemptBy.set(key(a.consumer, a.eventId), a);
  const trackedBy = new Map(tracked.map((t) => [key(t.consumer, t.eventId), t]));
  const subscribersOf = (row: OutboxRow) => (isEventType(row.type) ? topology().subscriptions[row.type] : []);

  // Whether a queue is behind, only for consumers with a delivery still to decide on: once everything
  // is acknowledged a pass asks no queue at all.
  const unread = new Set<ConsumerName>();
  for (const row of rows)
    for (const consumer of subscribersOf(row))
      if (!acked.has(key(consumer, row.id)) && !backlogs.has(consumer)) unread.add(consumer);
  await Promise.all(
    [...unread].map(async (consumer) => backlogs.set(consumer, await readQueueBacklog(env, consumer))),
  );

  const settledFacts: string[] = [];
  const settledDeliveries: string[] = [];
  const outstanding: (typeof deliveries.$inferInsert)[] = [];
  const resends = new Map<ConsumerName, { row: OutboxRow; envelope: EventEnvelope }[]>();
  const giveUps: { consumer: ConsumerName; row: OutboxRow; resends: number; lastError: string | null }[] = [];
  let nextDueAt: number | null = null;
  let behind = 0;

  for (const row of rows) {
    let open = 0;
    for (const consumer of subscribersOf(row)) {
      const k = key(consumer, row.id);
      const dl = deadBy.get(k);
      const facts: DeliveryFacts = {
        consumer,
        publishedAt: row.publishedAt!,
        acked: acked.has(k),
        deadLetter: dl ? { status: dl.status, redrivenAt: dl.redrivenAt } : null,
        lastAttempt: lastAttemptBy.get(k) ?? null,
        tracked: trackedBy.get(k) ?? null,
        queue: backlogs.get(consumer) ?? null,
      };
      const decision = decideDelivery(facts, policy, now);
      if (decision.kind === "settled") {
        if (trackedBy.has(k)) settledDeliveries.push(k);
        continue;
      }
      open++;
      if (decision.dueAt !== null && (nextDueAt === null || decision.dueAt < nextDueAt))
        nextDueAt = decision.dueAt;
      if (decision.behind) behind++;
      if (decision.resend) {
        const list = resends.get(consumer) ?? [];
        list.push({ row, envelope: JSON.parse(row.envelope) as EventEnvelope });
        resends.set(consumer, list);
      }
      if (decision.giveUp)
        giveUps.push({ consumer, row, resends: decision.resends, lastError: decision.lastError });
      outstanding.push({
        id: k,
        consumer,
        eventId: row.id,
        eventType: row.type,
        correlationId: row.correlationId,
        publishedAt: row.publishedAt!,
        state: decision.state,
        resends: decision.resends,
        lastResentAt: decision.resend ? now : (trackedBy.get(k)?.lastResentAt ?? null),
        lastError: dl?.lastError ?? decision.lastError,
        heartbeatAt: trackedBy.get(k)?.heartbeatAt ?? null,
        checkedAt: now,
      });
    }
    if (open === 0) settledFacts.push(row.id);
  }

  // Send before recording: a crash in between re-sends again next pass, and consumers dedup.
  let resent = 0;
  for (const [consumer, list] of resends) {
    const failed = await sendToConsumer(
      env,
      consumer,
      list.map((l) => l.envelope),
    );
    for (const l of list) {
      const error = failed.get(l.row.id);
      if (error === undefined) {
        resent++;
        continue;
      }
      // Not sent: keep the earlier re-send count so it comes due again at once.
      const row = outstanding.find((o) => o.id === key(consumer, l.row.id));
      if (row) {
        row.resends = Math.max(0, (row.resends ?? 1) - 1);
        row.lastResentAt = trackedBy.get(key(consumer, l.row.id))?.lastResentAt ?? null;
        row.lastError = `re-send failed: ${error}`;
      }
    }
    log.info("deliveries.resent", { consumer, events: list.length, failed: failed.size });
  }

  const writes: D1Statement[] = [];
  if (settledFacts.length > 0) {
    const settledIds = JSON.stringify(settledFacts);
    writes.push(
      db
        .update(outbox)
        .set({ settledAt: now })
        .where(inArray(outbox.id, sql`(select value from json_each(${settledIds}))`)),
      db
        .delete(deliveries)
        .where(inArray(deliveries.eventId, sql`(select value from json_each(${settledIds}))`)),
    );
  }
  if (settledDeliveries.length > 0) {
    const doneIds = JSON.stringify(settledDeliveries);
    writes.push(
      db.delete(deliveries).where(inArray(deliveries.id, sql`(select value from json_each(${doneIds}))`)),
    );
  }
  for (let i = 0; i < outstanding.length; i += ROWS_PER_UPSERT) {
    writes.push(
      db
        .insert(deliveries)
        .values(outstanding.slice(i, i + ROWS_PER_UPSERT))
        .onConflictDoUpdate({
          target: deliveries.id,
          set: {
            state: sql`excluded.state`,
            resends: sql`excluded.resends`,
            lastResentAt: sql`excluded.last_resent_at`,
            lastError: sql`excluded.last_error`,
            checkedAt: sql`excluded.checked_at`,
          },
        }),
    );
  }
  for (const g of giveUps) {
    writes.push(
      ...deadLetterStatements(db, {
        originQueue: topology().consumers[g.consumer].queue,
        consumer: g.consumer,
        body: JSON.parse(g.row.envelope),
        error: `${giveUpReason(g.resends)}${g.lastError ? ` Last error: ${g.lastError}` : ""}`,
        attempts: g.resends,
        now,
      }),
    );
    log.error("delivery.dead-lettered", { consumer: g.consumer, eventId: g.row.id, resends: g.resends });
  }
  if (writes.length > 0) await db.batch(writes as [D1Statement, ...D1Statement[]]);
  return {
    settled: settledFacts.length,
    resent,
    deadLettered: giveUps.length,
    outstanding: outstanding.length,
    behind,
    nextDueAt,
  };
}
