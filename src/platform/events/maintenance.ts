import { lt } from "drizzle-orm";
import { getDb } from "../db/client";
import { everyShard } from "../db/shards";
import { createLogger, errorFields, type Logger } from "../observability/logger";
import { dedupTtlMs } from "./consumer-runtime";
import { ATTEMPT_ROLLUPS, rollUp } from "./metric-rollups";
import { consumerAttempts, processedEvents } from "./schema";

/**
 * Deletes consumer dedup rows and attempt history older than DEDUP_RETENTION_HOURS. The attempts are
 * first counted into the delivery and lag rollups, in the same atomic batch, so the counters on
 * /ops/metrics never drop. A sharded consumer's dedup rows in the other shards age out the same way.
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
  for (const shard of everyShard(env).slice(1))
    await shard.delete(processedEvents).where(lt(processedEvents.processedAt, cutoff));
}

export interface MaintenanceStep {
  name: string;
  run(env: Env, now: number, log: Logger): Promise<unknown>;
}

/**
 * The every-minute cron's work, the steps listed in src/maintenance.ts. Each step runs on its own: one that fails is logged and the others
 * still run, so a broken prune never stops the sweep or the alerts. Returns each step's outcome.
 */
export async function runMaintenance(
  env: Env,
  now: number,
  steps: readonly MaintenanceStep[],
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
