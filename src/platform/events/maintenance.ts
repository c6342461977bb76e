import { lt } from "drizzle-orm";
import { getDb } from "../../db/client";
import { pruneAnalyticsEventIds } from "../../db/queries/analytics-retention";
import { consumerAttempts, processedEvents } from "../../db/schema-events";
import { resumeStuckOrders } from "../checkout/resume-stuck-orders";
import { createLogger, errorFields, type Logger } from "../observability/logger";
import { evaluateAlerts } from "./alerting";
import { dedupTtlMs } from "./consumer-runtime";
import { ATTEMPT_ROLLUPS, rollUp } from "./metric-rollups";
import { reconcileDeliveries } from "./reconciler";
import { pruneOutbox, sweepOutbox } from "./sweeper";

/**
 * Deletes consumer dedup rows and attempt history older than DEDUP_RETENTION_HOURS. The attempts are
 * first counted into the delivery and lag rollups, in the same atomic batch, so the counters on
 * /ops/metrics never drop.
 */
export async function pruneConsumerHistory(env: Env, now: number): Promise<void> {
  const db = getDb(env.DB);
  const cutoff = now - dedupTtlMs(env);
  const prunable = lt(consumerAttempts.startedAt, cutoff);
  await db.batch([
    db.delete(processedEvents).where(lt(processedEvents.processedAt, cutoff)),
    ...ATTEMPT_ROLLUPS.map((family) => rollUp(db, family, prunable)),
    db.delete(consumerAttempts).where(prunable),
  ]);
}

export interface MaintenanceStep {
  name: string;
  run(env: Env, now: number, log: Logger): Promise<unknown>;
}

/**
 * In order: sweep and reconcile first, so the alert rules measure the backlog they could not clear;
 * prunes after the reconciler, which settles the facts they may delete.
 */
export const MAINTENANCE_STEPS: readonly MaintenanceStep[] = [
  { name: "sweep-outbox", run: (env, now) => sweepOutbox(env, now) },
  { name: "reconcile-deliveries", run: (env, now, log) => reconcileDeliveries(env, now, log) },
  { name: "prune-outbox", run: (env, now) => pruneOutbox(env, now) },
  { name: "prune-consumer-history", run: (env, now) => pruneConsumerHistory(env, now) },
  { name: "prune-analytics-event-ids", run: (env, now) => pruneAnalyticsEventIds(env, now) },
  { name: "resume-stuck-orders", run: (env, now, log) => resumeStuckOrders(env, now, log) },
  { name: "evaluate-alerts", run: (env, now, log) => evaluateAlerts(env, now, log) },
];

/**
 * The cron's work (every minute). Each step runs on its own: one that fails is logged and the others
 * still run, so a broken prune never stops the sweep or the alerts. Returns each step's outcome.
 */
export async function runMaintenance(
  env: Env,
  now: number,
  steps: readonly MaintenanceStep[] = MAINTENANCE_STEPS,
  log: Logger = createLogger({ component: "maintenance" }),
): Promise<Record<string, "ok" | "failed">> {
  const outcomes: Record<string, "ok" | "failed"> = {};
  for (const step of steps) {
    const started = Date.now();
    try {
      const result = await step.run(env, now, log);
      outcomes[step.name] = "ok";
      log.info("maintenance.step", {
        step: step.name,
        outcome: "ok",
        durationMs: Date.now() - started,
        result,
      });
    } catch (err) {
      outcomes[step.name] = "failed";
      log.error("maintenance.step", {
        step: step.name,
        outcome: "failed",
        durationMs: Date.now() - started,
        ...errorFields(err),
      });
    }
  }
  return outcomes;
}
