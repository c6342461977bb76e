import { and, eq, inArray, sql } from "drizzle-orm";
import { backoffDelay } from "../backoff";
import { type Clock, systemClock } from "../clock";
import { type Db, getDb } from "../db/client";
import { shardBindings, shardIndexOf } from "../db/shards";
import { BatchFaults } from "../faults/consumer-faults";
import { InjectedFault } from "../faults/model";
import { createLogger, errorFields, type Logger } from "../observability/logger";
import { QUEUE_RETRY_BACKOFF } from "./backoff";
import type { Consumer, ConsumerContext, D1Consumer, D1Statement, ExternalConsumer } from "./consumer";
import { deadLetterStatements } from "./dead-letters";
import { dedupKey } from "./dedup-client";
import { keepLeaseAlive } from "./dedup-lease";
import { startHeartbeat } from "./heartbeat";
import { recordDeliveryMetrics } from "./metrics";
import { registeredHooks } from "./registry";
import { consumerAttempts, processedEvents, RETRIED_OUTCOMES } from "./schema";
import { type CurrentEvent, PoisonEventError, toCurrent } from "./upcast";

type Outcome = (typeof consumerAttempts.$inferInsert)["outcome"];
type Attempt = typeof consumerAttempts.$inferInsert;
type ProcessedRow = typeof processedEvents.$inferInsert;

/** D1 binds at most 100 parameters per statement. */
const D1_MAX_PARAMS = 100;

/**
 * Multi-row INSERTs of `rows` (all with the same keys), each within D1's parameter limit: a batch's
 * bookkeeping in a handful of statements instead of one per message, which is most of what building
 * and running them costs.
 */
function insertRows<T extends typeof processedEvents | typeof consumerAttempts>(
  db: Db,
  table: T,
  rows: T["$inferInsert"][],
  { ignoreExisting = false } = {},
): D1Statement[] {
  if (rows.length === 0) return [];
  const perStatement = Math.max(1, Math.floor(D1_MAX_PARAMS / Object.keys(rows[0]!).length));
  const statements: D1Statement[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const insert = db.insert(table).values(rows.slice(i, i + perStatement) as T["$inferInsert"][]);
    statements.push(ignoreExisting ? insert.onConflictDoNothing() : insert);
  }
  return statements;
}

interface Delivery {
  msg: Message<unknown>;
  event: CurrentEvent;
  started: number;
  /**
   * Set when its dedup row lives in a shard other than the global database: its ack is then also
   * written to the global `processed_events`, which the delivery ledger and the reconciler read.
   */
  ackInLedger?: boolean;
  /** Registered by the handler through `ctx.afterCommit`, run once its effect has committed. */
  afterCommit?: (() => Promise<void>)[];
}

/** Runs a committed delivery's after-commit tasks; they never fail the delivery. */
async function runAfterCommit(d: Delivery, log: Logger) {
  for (const task of d.afterCommit ?? []) {
    await task().catch((err) =>
      log.error("consumer.after-commit-failed", { eventId: d.event.id, ...errorFields(err) }),
    );
  }
}

export function dedupTtlMs(env: Env): number {
  return (Number(env.DEDUP_RETENTION_HOURS) || 168) * 3_600_000;
}

/** What tests inject into the runtime: the clock a paused batch waits on, the draw of failure-rate faults. */
export interface RuntimeOptions {
  clock?: Clock;
  random?: () => number;
}

/**
 * Runs one consumer over a batch: parse and upcast each envelope, dead-letter what can never succeed,
 * skip duplicates, run the handler, then ack or retry each message on its own. It never throws: a
 * throw after an explicit ack would redeliver the acked messages.
 */
export async function runConsumer(
  consumer: Consumer,
  batch: MessageBatch<unknown>,
  env: Env,
  ctx: ExecutionContext,
  { clock = systemClock, random = Math.random }: RuntimeOptions = {},
) {
  const now = Date.now();
  const db = getDb(env.DB);
  const log = createLogger({ consumer: consumer.name, queue: batch.queue });
  const attempts: Attempt[] = [];
  /**
   * External effects are deduped in the DedupStore, not D1, and a sharded D1 consumer's in its shard,
   * so their acknowledgement for the delivery ledger rides in the attempts' batch below (no extra round
   * trip). If that batch is lost, the reconciler re-sends, the dedup record answers "done", and the
   * duplicate records the ack instead.
   */
  const ledgerAcks: ProcessedRow[] = [];
  const settled = new Set<Delivery>();
  const acked: Delivery[] = [];
  const settle = (d: Delivery, result: Outcome, error?: unknown) => {
    settled.add(d);
    // A failure a fault injected is retried like any other, but recorded as `injected`, so metrics
    // count it apart while the delivery ledger still sees a failed attempt (RETRIED_OUTCOMES).
    const outcome = result === "retried" && error instanceof InjectedFault ? "injected" : result;
    const durationMs = Date.now() - d.started;
    const lagMs = Math.max(0, d.started - Date.parse(d.event.time));
    if (RETRIED_OUTCOMES.includes(outcome))
      d.msg.retry({ delaySeconds: backoffDelay(d.msg.attempts, QUEUE_RETRY_BACKOFF, Math.random) });
    else d.msg.ack();
    if (outcome === "acked") acked.push(d);
    if ((consumer.effect === "external" || d.ackInLedger) && (outcome === "acked" || outcome === "duplicate"))
      ledgerAcks.push({ consumer: consumer.name, eventId: d.event.id, processedAt: Date.now() });
    const errorText = error === undefined ? null : String((error as Error)?.message ?? error).slice(0, 2000);
    attempts.push({
      eventId: d.event.id,
      eventType: d.event.type,
      consumer: consumer.name,
      attempt: d.msg.attempts,
      outcome,
      correlationId: d.event.correlationid,
      startedAt: d.started,
      durationMs,
      lagMs,
      error: errorText,
    });
    const fields = {
      eventId: d.event.id,
      type: d.event.type,
      correlationId: d.event.correlationid,
      causationId: d.event.causationid,
      attempt: d.msg.attempts,
      outcome,
      durationMs,
      lagMs,
    };
    if (RETRIED_OUTCOMES.includes(outcome)) log.warn("event.consumed", { ...fields, ...errorFields(error) });
    else log.info("event.consumed", fields);
  };

  const deliveries: Delivery[] = [];
  const poison: Poison[] = [];
  for (const msg of batch.messages) {
    try {
      deliveries.push({ msg, event: toCurrent(msg.body), started: Date.now() });
    } catch (err) {
      poison.push({ msg, error: err instanceof PoisonEventError ? err.message : String(err) });
    }
  }
  const deadLettered = await storePoison(consumer, batch.queue, poison, db, log, now);

  // The fault seam (src/platform/faults): one read per batch, and nothing at all unless FAULTS_ENABLED.
  const faults = await BatchFaults.read(env, consumer.name, log, { clock, random }).catch((err) => {
    log.error("fault.read-failed", errorFields(err));
    return null;
  });
  const released = faults ? await faults.hold(deliveries.map((d) => d.event)) : true;
  if (faults) for (const d of deliveries) d.started = Date.now(); // a hold is lag, not handling time
  const handler = faults ? faults.wrap(consumer) : consumer;

  const stopHeartbeat = startHeartbeat(
    env,
    consumer.name,
    () => deliveries.filter((d) => !settled.has(d)).map((d) => d.event),
    log,
  );
  try {
    if (!released) for (const d of deliveries) settle(d, "retried", faults!.pauseCapError());
    else if (handler.effect === "d1") await runD1(handler, deliveries, env, log, settle);
    else await runExternal(handler, deliveries, env, log, settle, clock);
  } catch (err) {
    // The runtime itself failed (e.g. D1 unreachable): retry whatever is not settled yet. Tracked per
    // delivery, not per event id, so a duplicate settled early never hides its unsettled twin.
    log.error("consumer.failed", errorFields(err));
    for (const d of deliveries) if (!settled.has(d)) settle(d, "retried", err);
  } finally {
    stopHeartbeat();
  }
  if (faults) {
    await faults.duplicate(acked.map((d) => ({ body: d.msg.body, event: d.event })));
    await faults.report();
  }

  const bookkeeping = [
    ...insertRows(db, consumerAttempts, attempts),
    ...insertRows(db, processedEvents, ledgerAcks, { ignoreExisting: true }),
  ];
  if (bookkeeping.length > 0) {
    // Attempts are observability, not state: losing them must not redeliver work that is done (an
    // external ack lost with them only costs a re-send that the dedup store answers as a duplicate).
    await db
      .batch(bookkeeping as [D1Statement, ...D1Statement[]])
      .catch((err) => log.error("consumer.bookkeeping-failed", errorFields(err)));
  }
  recordDeliveryMetrics(env, attempts);
  const onDeadLettered = registeredHooks().deadLettered;
  if (deadLettered > 0 && onDeadLettered)
    ctx.waitUntil(
      onDeadLettered(env, Date.now(), log).catch((e) => log.error("alerts.failed", errorFields(e))),
    );
}

interface Poison {
  msg: Message<unknown>;
  error: string;
}

/**
 * Retrying cannot fix a message that fails its envelope or schema: store it as a dead letter now and
 * ack it. The rows are committed before the ack, since acking first would drop the message for good if
 * the write failed; if it fails the messages are retried instead, and reach the DLQ after max_retries.
 * Returns how many were dead-lettered.
 */
async function storePoison(
  consumer: Consumer,
  originQueue: string,
  poison: Poison[],
  db: Db,
  log: Logger,
  now: number,
): Promise<number> {
  if (poison.length === 0) return 0;
  const statements = poison.flatMap(({ msg, error }) =>
    deadLetterStatements(db, {
      originQueue,
      consumer: consumer.name,
      body: msg.body,
      error,
      attempts: msg.attempts,
      now,
    }),
  );
  try {
    await db.batch(statements as [(typeof statements)[number], ...typeof statements]);
  } catch (err) {
    log.error("event.poison-store-failed", errorFields(err));
    for (const { msg } of poison)
      msg.retry({ delaySeconds: backoffDelay(msg.attempts, QUEUE_RETRY_BACKOFF, Math.random) });
    return 0;
  }
  for (const { msg, error } of poison) {
    log.error("event.poison", { messageId: msg.id, attempt: msg.attempts, outcome: "dead-lettered", error });
    msg.ack();
  }
  return poison.length;
}

type Settle = (d: Delivery, outcome: Outcome, error?: unknown) => void;

function contextFor(env: Env, log: Logger, d: Delivery, reclaimed = false, shard?: Db): ConsumerContext {
  const db = getDb(env.DB);
  return {
    env,
    db,
    shard: shard ?? db,
    log: log.child({ eventId: d.event.id, correlationId: d.event.correlationid }),
    now: d.started,
    attempt: d.msg.attempts,
    reclaimed,
    afterCommit(task) {
      d.afterCommit = [...(d.afterCommit ?? []), task];
    },
  };
}

/**
 * D1 effects. A sharded consumer's deliveries are grouped by shard, and each group runs as an unsharded
 * consumer's batch does against the global database: effects and dedup rows commit together, there.
 */
async function runD1(consumer: D1Consumer, deliveries: Delivery[], env: Env, log: Logger, settle: Settle) {
  if (deliveries.length === 0) return;
  if (!consumer.shardKey) return runD1In(getDb(env.DB), consumer, deliveries, env, log, settle);
  const shards = shardBindings(env);
  const groups = new Map<number, Delivery[]>();
  for (const d of deliveries) {
    const i = shardIndexOf(consumer.shardKey(d.event), shards.length);
    d.ackInLedger = i !== 0;
    groups.set(i, [...(groups.get(i) ?? []), d]);
  }
  for (const [i, group] of groups) await runD1In(getDb(shards[i]!), consumer, group, env, log, settle);
}

/** One database's share of a batch: one dedup query, then effects and dedup rows committed together. */
async function runD1In(
  db: Db,
  consumer: D1Consumer,
  deliveries: Delivery[],
  env: Env,
  log: Logger,
  settle: Settle,
) {
  // The ids travel as one JSON parameter: D1 binds at most 100 parameters per statement, and a full
  // batch (max_batch_size 100) plus the consumer name would be 101 as an `IN (?, …)` list.
  const ids = JSON.stringify(deliveries.map((d) => d.event.id));
  const done = new Set(
    (
      await db
        .select({ eventId: processedEvents.eventId })
        .from(processedEvents)
        .where(
          and(
            eq(processedEvents.consumer, consumer.name),
            inArray(processedEvents.eventId, sql`(select value from json_each(${ids}))`),
          ),
        )
    ).map((r) => r.eventId),
  );
  const work: { d: Delivery; effects: D1Statement[]; marker: ProcessedRow }[] = [];
  for (const d of deliveries) {
    if (done.has(d.event.id)) {
      settle(d, "duplicate");
      continue;
    }
    done.add(d.event.id); // the same event twice in one batch
    try {
      const effects = await consumer.handle(d.event, contextFor(env, log, d, false, db));
      work.push({
        d,
        effects,
        marker: { consumer: consumer.name, eventId: d.event.id, processedAt: Date.now() },
      });
    } catch (err) {
      settle(d, "retried", err);
    }
  }
  if (work.length === 0) return;
  // The batch's dedup rows go in as few multi-row INSERTs as D1's parameter limit allows.
  const markers = insertRows(
    db,
    processedEvents,
    work.map((w) => w.marker),
  );
  const all = [...work.flatMap((w) => w.effects), ...markers];
  try {
    await db.batch(all as [D1Statement, ...D1Statement[]]);
    for (const w of work) settle(w.d, "acked");
    for (const w of work) await runAfterCommit(w.d, log);
  } catch {
    // One bad message must not hold back the rest: commit each on its own to find it.
    for (const w of work) {
      try {
        const one = [...w.effects, db.insert(processedEvents).values(w.marker)];
        await db.batch(one as [D1Statement, ...D1Statement[]]);
        settle(w.d, "acked");
        await runAfterCommit(w.d, log);
      } catch (err) {
        const duplicate = String((err as Error).message).includes("processed_events");
        settle(w.d, duplicate ? "duplicate" : "retried", duplicate ? undefined : err);
      }
    }
  }
}

/**
 * Effects outside D1: claim, act, mark done for each message (or only act, for a consumer whose effect
 * dedups itself); one at a time, in order, unless the consumer declares a `concurrency` (its messages
 * are independent), then that many at once. The claim's lease is renewed while the effect runs, so it
 * is short: a delivery that died mid-effect blocks its event for at most `leaseMs`, however long a live
 * one takes.
 */
async function runExternal(
  consumer: ExternalConsumer,
  deliveries: Delivery[],
  env: Env,
  log: Logger,
  settle: Settle,
  clock: Clock,
) {
  const ttlMs = dedupTtlMs(env);
  const one = async (d: Delivery) => {
    d.started = Date.now();
    if (consumer.dedup === "effect") {
      try {
        await consumer.handle(d.event, contextFor(env, log, d));
        settle(d, "acked");
        await runAfterCommit(d, log);
      } catch (err) {
        settle(d, "retried", err);
      }
      return;
    }
    const key = dedupKey(env, consumer.name, d.event.id);
    const claim = await key.claim({ leaseMs: consumer.leaseMs, ttlMs, now: clock.now() });
    if (claim.outcome === "done" || claim.outcome === "mismatch") {
      settle(d, "duplicate");
      return;
    }
    if (claim.outcome === "in-flight") {
      // Another delivery holds the lease right now; look again after it would have run out.
      d.msg.retry({ delaySeconds: Math.max(1, Math.ceil(claim.retryAfterMs / 1000)) });
      log.info("event.consumed", {
        eventId: d.event.id,
        outcome: "in-flight-elsewhere",
        attempt: d.msg.attempts,
      });
      return;
    }
    if (claim.reclaimed) {
      log.warn("event.lease-expired", {
        eventId: d.event.id,
        note: "a previous attempt died mid-effect; it may repeat",
      });
    }
    const lease = keepLeaseAlive(key, claim.record.leaseUntil, {
      leaseMs: consumer.leaseMs,
      clock,
      log: log.child({ eventId: d.event.id }),
      logAs: "event",
    });
    try {
      await consumer.handle(d.event, contextFor(env, log, d, claim.reclaimed));
      await lease.stop();
      await key.complete(null, clock.now(), ttlMs);
      settle(d, "acked");
      await runAfterCommit(d, log);
    } catch (err) {
      await key.release(await lease.stop()).catch(() => undefined);
      settle(d, "retried", err);
    }
  };
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < deliveries.length; i = next++) await one(deliveries[i]!);
  };
  const lanes = Math.max(1, Math.min(consumer.concurrency ?? 1, deliveries.length));
  await Promise.all(Array.from({ length: lanes }, lane));
}
