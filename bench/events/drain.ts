import { loadavg } from "node:os";
import { causedByRequest, newEvent } from "../../src/platform/events/new-event";
import type { WorkerdCpu } from "../lib/cpu";
import type { QueryDb } from "../lib/query-db";
import type { EventsConfig } from "./config";
import { BARE_CONSUMER, type LoadTarget } from "./names";
import { waitFor } from "./poll";
import type { EventsRuntime } from "./runtime";

export interface DrainRun {
  messages: number;
  /** Messages in the timed window: those delivered after loading ended. */
  timedMessages: number;
  /** timedMessages ÷ drainMs, events per second. */
  eventsPerSec: number;
  /** First delivery after loading ended → last message processed. */
  drainMs: number;
  /** How long the loader took to put every message on the queue (not timed). */
  loadMs: number;
  /** workerd CPU per timed event, load end to drain end (includes D1's work, same for both), µs. */
  cpuUsPerEvent: number | null;
  /** The machine's 1-minute load average when the run ended: other work shows here. */
  loadAverage1m: number;
}

const CONSUMER_NAME: Record<LoadTarget, string> = { crossdock: "user-stats", bare: BARE_CONSUMER };
/** Envelopes per request to the loader (≈ 0.5 KB each). */
const LOAD_CHUNK = 2_000;

/** `count` valid, current-version user.registered envelopes, built as the signup route builds them. */
export function registrations(count: number, tag: string) {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => {
    const userId = `usr_bench_${tag}_${i}`;
    return newEvent(
      "user.registered",
      userId,
      {
        userId,
        email: `drain-${tag}-${i}@example.com`,
        name: `Drain ${i}`,
        role: i % 2 === 0 ? "buyer" : "merchant",
      },
      causedByRequest({
        requestId: `req_bench_${tag}`,
        traceparent: `00-${"1".repeat(32)}-${"2".repeat(16)}-01`,
      }),
      "/crossdock/api",
      now,
    );
  });
}

/**
 * Waits until the delivery reconciler has settled every fact in the outbox (the relay phase's
 * sign-ups). It proves a delivery by the subscriber's `processed_events` row, which `reset` deletes: a
 * fact still unsettled then looks undelivered, and the reconciler re-sends it to user-stats, which
 * counts it a second time inside the next drain. That was the 20,100 of 20,000 the first crossdock drain
 * counted: 942 of the 1,000 facts were unsettled at that reset, and one reconciler page (100) of them
 * was re-sent before the drain ended.
 */
async function untilFactsSettled(db: QueryDb) {
  const unsettled = () =>
    db
      .prepare("SELECT count(*) AS n FROM outbox WHERE settled_at IS NULL")
      .first<{ n: number }>()
      .then((r) => r?.n ?? 0);
  const left = await waitFor(unsettled, (n) => n === 0, SETTLE_LIMIT_MS, 500);
  if (left !== 0) {
    throw new Error(
      `${left} outbox facts still unsettled after ${SETTLE_LIMIT_MS / 1000} s: the delivery reconciler ` +
        "(OutboxSweeper alarm) has not proved their deliveries, and clearing the acks would make it re-send them.",
    );
  }
}

/** The grace period (15 s) plus a few sweeper passes over the relay phase's 1,000 facts. */
const SETTLE_LIMIT_MS = 120_000;

/** Waits until no consumer has started a delivery for QUIET_MS (at most QUIET_LIMIT_MS): a batch still
 * in flight from the run before must not land after `reset`. */
async function untilConsumersQuiet(db: QueryDb) {
  const attempts = async () =>
    (await db.prepare("SELECT count(*) AS n FROM consumer_attempts").first<{ n: number }>()) ?? { n: 0 };
  const deadline = Date.now() + QUIET_LIMIT_MS;
  let seen = await attempts();
  let quietSince = Date.now();
  while (Date.now() - quietSince < QUIET_MS && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await attempts();
    if (now.n !== seen.n) {
      seen = now;
      quietSince = Date.now();
    }
  }
}

const QUIET_MS = 8_000;
const QUIET_LIMIT_MS = 60_000;

/** Every drain run starts from the same empty bookkeeping and read model, whichever ran before. */
async function reset(db: QueryDb) {
  await untilFactsSettled(db);
  await untilConsumersQuiet(db);
  await db.batch(
    ["processed_events", "consumer_attempts", "signup_stats_daily"].map((t) =>
      db.prepare(`DELETE FROM ${t}`),
    ),
  );
}

const LOADER_TIMEOUT_MS = 60_000;

/**
 * One drain run. The loader puts the M messages on the target's queue as fast as it can; the consumer
 * starts on them at once, but only what it does after loading has ended is timed: the clock starts at
 * the first batch delivered after loading ended (consumer_attempts.started_at, stamped by the worker;
 * local Queues deliver one batch at a time, so the batch before it is over) and stops when Node sees
 * all M processed_events markers and consumer_attempts rows (polled every 20 ms). Throws when less than
 * half of M was left for the timed window, when the drain does not finish in time, or when any
 * message was not counted exactly once.
 */
export async function measureDrain(
  rt: EventsRuntime,
  target: LoadTarget,
  config: EventsConfig,
  cpu: WorkerdCpu,
): Promise<DrainRun> {
  const consumer = CONSUMER_NAME[target];
  const m = config.messages;
  await reset(rt.query);
  const bodies = registrations(m, `${target}${Date.now().toString(36)}`);
  const loadStart = Date.now();
  for (let i = 0; i < m; i += LOAD_CHUNK) {
    const url = new URL(`/load?queue=${target}`, rt.loader);
    // Bounded: local Queues have been seen to leave a sendBatch unanswered while the consumer runs (1 run
    // in 2 at 1,000 messages); a run that stalls fails with that said rather than holding bench:all.
    const res = await fetch(url, {
      method: "POST",
      body: JSON.stringify(bodies.slice(i, i + LOAD_CHUNK)),
      signal: AbortSignal.timeout(LOADER_TIMEOUT_MS),
    }).catch((err: unknown) => {
      throw new Error(
        `loader, messages ${i}–${i + LOAD_CHUNK}: no answer within ${LOADER_TIMEOUT_MS / 1000} s (local Queues' sendBatch stalled; run again): ${(err as Error).message}`,
      );
    });
    if (!res.ok)
      throw new Error(`loader, messages ${i}–${i + LOAD_CHUNK}: ${res.status} ${await res.text()}`);
  }
  const loadEnd = Date.now();
  const cpuBefore = cpu.seconds();

  const progress = () =>
    rt.query
      .prepare(
        `SELECT (SELECT count(*) FROM processed_events WHERE consumer = ?1) AS processed,
                (SELECT count(*) FROM consumer_attempts WHERE consumer = ?1) AS attempts`,
      )
      .bind(consumer)
      .first<{ processed: number; attempts: number }>();
  // Generous: no slower than 100 events/s.
  const limitMs = 10_000 + (m / 100) * 1000;
  const last = await waitFor(progress, (p) => p?.processed === m && p.attempts === m, limitMs);
  const end = Date.now();
  const cpuAfter = cpu.seconds();
  if (last?.processed !== m || last.attempts !== m) {
    throw new Error(
      `${target}: drain unfinished after ${limitMs / 1000} s: ${last?.processed} processed, ${last?.attempts} attempts of ${m}`,
    );
  }

  const check = await rt.query
    .prepare(
      `SELECT (SELECT min(started_at) FROM consumer_attempts WHERE consumer = ?1 AND started_at >= ?2) AS first,
              (SELECT count(*) FROM consumer_attempts WHERE consumer = ?1 AND outcome <> 'acked') AS notAcked,
              (SELECT coalesce(sum(count), 0) FROM signup_stats_daily) AS counted`,
    )
    .bind(consumer, loadEnd)
    .first<{ first: number | null; notAcked: number; counted: number }>();
  if (check?.notAcked !== 0 || check.counted !== m) {
    throw new Error(
      `${target}: ${check?.notAcked} deliveries not acked, ${check?.counted} sign-ups counted of ${m}`,
    );
  }
  const timed = await rt.query
    .prepare("SELECT count(*) AS n FROM consumer_attempts WHERE consumer = ?1 AND started_at >= ?2")
    .bind(consumer, check.first ?? end)
    .first<{ n: number }>();
  const timedMessages = timed?.n ?? 0;
  if (check.first === null || timedMessages < m / 2) {
    throw new Error(
      `${target}: only ${timedMessages} of ${m} messages were left when loading ended (it took ` +
        `${loadEnd - loadStart} ms): the window is too short to time; raise BENCH_EVENTS_MESSAGES.`,
    );
  }
  const drainMs = end - check.first;
  return {
    messages: m,
    timedMessages,
    eventsPerSec: timedMessages / (drainMs / 1000),
    drainMs,
    loadMs: loadEnd - loadStart,
    cpuUsPerEvent:
      cpuBefore === null || cpuAfter === null ? null : ((cpuAfter - cpuBefore) * 1e6) / timedMessages,
    loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
  };
}
