import { and, gte, isNotNull, isNull, lt, sql } from "drizzle-orm";
import { getDb } from "../db/client";
import { createLogger } from "../observability/logger";
import { EVENTS_PUBLISHED, rollUp } from "./metric-rollups";
import { relay, unpublishedOlderThan } from "./relay";
import { outbox } from "./schema";

/** The relay gets this long to publish a fresh row before the sweeper considers it abandoned. */
export const RELAY_GRACE_MS = 10_000;
const SWEEP_LIMIT = 500;

/** When the sweeper's alarm is known (to this isolate) to be set; it re-arms itself while work is due. */
let alarmKnownAt = 0;

/**
 * Asks the OutboxSweeper to wake once the relay's grace period is over, so a commit whose relay dies
 * with its process is published within seconds of the runtime coming back, without waiting for cron.
 * Called on every commit that writes to the outbox; skipped while this isolate knows an alarm is
 * pending, since the sweeper re-arms itself for as long as any fact is unpublished or unsettled.
 */
export async function armOutboxSweeper(
  env: Pick<Env, "OUTBOX_SWEEPER">,
  delayMs = RELAY_GRACE_MS + 1_000,
  now = Date.now(),
): Promise<void> {
  if (alarmKnownAt > now + 1_000) return;
  alarmKnownAt = await env.OUTBOX_SWEEPER.get(env.OUTBOX_SWEEPER.idFromName("outbox")).arm(delayMs);
}

/**
 * Republishes outbox rows the relay did not publish (the worker died between commit and send, or a
 * send failed). Run by the cron every minute and by the OutboxSweeper alarm, which every commit arms.
 * `nextDueAt` is when the youngest unpublished rows leave the relay's grace period, if any remain.
 */
export async function sweepOutbox(
  env: Env,
  now: number,
): Promise<{ republished: number; remaining: number; nextDueAt: number | null }> {
  const log = createLogger({ component: "outbox-sweeper" });
  const stale = await unpublishedOlderThan(env, now - RELAY_GRACE_MS, SWEEP_LIMIT);
  let republished = 0;
  let remaining = 0;
  if (stale.length > 0) {
    const { published, failed } = await relay(env, stale, log, now);
    log.info("outbox.swept", { republished: published.length, failed: failed.length });
    republished = published.length;
    remaining = failed.length + (stale.length === SWEEP_LIMIT ? 1 : 0);
  }
  const fresh = await getDb(env.DB)
    .select({ oldest: sql<number | null>`min(${outbox.createdAt})` })
    .from(outbox)
    .where(and(isNull(outbox.publishedAt), gte(outbox.createdAt, now - RELAY_GRACE_MS)))
    .get();
  const freshDue = fresh?.oldest == null ? null : fresh.oldest + RELAY_GRACE_MS;
  return { republished, remaining, nextDueAt: remaining > 0 ? now + RELAY_GRACE_MS : freshDue };
}

/**
 * Deletes settled rows published before the retention period (OUTBOX_RETENTION_HOURS), counting them
 * into the published-events rollup in the same atomic batch so the counter on /ops/metrics never
 * drops. A fact some consumer has not acknowledged is kept, however old: it is the delivery's record.
 */
export async function pruneOutbox(env: Env, now: number): Promise<void> {
  const hours = Number(env.OUTBOX_RETENTION_HOURS) || 72;
  const db = getDb(env.DB);
  const prunable = and(
    isNotNull(outbox.publishedAt),
    isNotNull(outbox.settledAt),
    lt(outbox.publishedAt, now - hours * 3_600_000),
  )!;
  await db.batch([rollUp(db, EVENTS_PUBLISHED, prunable), db.delete(outbox).where(prunable)]);
}
