import { lt } from "drizzle-orm";
import { getDb } from "../../platform/db/client";
import { dedupHorizonDay } from "./metrics";
import { analyticsEventIds } from "./schema";

/**
 * Deletes the ids of client events older than the dedup horizon (DEDUP_RETENTION_DAYS). The analytics
 * consumer never counts an event past that horizon, so a pruned id can no longer be needed to catch a
 * duplicate. The counters themselves are kept.
 */
export async function pruneAnalyticsEventIds(env: Env, now: number): Promise<{ deleted: number }> {
  const result = await getDb(env.DB)
    .delete(analyticsEventIds)
    .where(lt(analyticsEventIds.day, dedupHorizonDay(now)));
  return { deleted: result.meta.changes };
}
