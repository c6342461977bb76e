import { and, isNotNull, lt } from "drizzle-orm";
import { getDb } from "../../db/client";
import { outbox } from "../../db/schema-events";
import { createLogger } from "../observability/logger";
import { EVENTS_PUBLISHED, rollUp } from "./metric-rollups";
import { relay, unpublishedOlderThan } from "./relay";

/** The relay gets this long to publish a fresh row before the sweeper considers it abandoned. */
export const RELAY_GRACE_MS = 10_000;
const SWEEP_LIMIT = 500;

/**
 * Republishes outbox rows the relay did not publish (the worker died between commit and send, or a
 * send failed). Run by the cron every minute and by the OutboxSweeper alarm after a failed relay.
 */
export async function sweepOutbox(
  env: Env,
  now: number,
): Promise<{ republished: number; remaining: number }> {
  const log = createLogger({ component: "outbox-sweeper" });
  const stale = await unpublishedOlderThan(env, now - RELAY_GRACE_MS, SWEEP_LIMIT);
  if (stale.length === 0) return { republished: 0, remaining: 0 };
  const { published, failed } = await relay(env, stale, log, now);
  log.info("outbox.swept", { republished: published.length, failed: failed.length });
  return { republished: published.length, remaining: failed.length + (stale.length === SWEEP_LIMIT ? 1 : 0) };
}

/**
 * Deletes published rows older than the retention period (OUTBOX_RETENTION_HOURS), counting them into
 * the published-events rollup in the same atomic batch so the counter on /ops/metrics never drops.
 */
export async function pruneOutbox(env: Env, now: number): Promise<void> {
  const hours = Number(env.OUTBOX_RETENTION_HOURS) || 72;
  const db = getDb(env.DB);
  const prunable = and(isNotNull(outbox.publishedAt), lt(outbox.publishedAt, now - hours * 3_600_000))!;
  await db.batch([rollUp(db, EVENTS_PUBLISHED, prunable), db.delete(outbox).where(prunable)]);
}
