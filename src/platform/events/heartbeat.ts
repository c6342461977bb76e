import { sql } from "drizzle-orm";
import { getDb } from "../db/client";
import { errorFields, type Logger } from "../observability/logger";
import { deliveryPolicy } from "./reconciler";
import type { ConsumerName } from "./registry";
import { deliveries } from "./schema";
import type { CurrentEvent } from "./upcast";

/**
 * While a consumer's handlers run, tells the delivery reconciler that their deliveries are in hand, so
 * a long import plan or report build is not taken for lost and re-sent. It beats every half grace
 * period, starting only after the first half has passed: a batch that finishes sooner (nearly all of
 * them) writes nothing. Returns the function that stops it.
 *
 * @example
 * const stop = startHeartbeat(env, "reports", () => pending.map((d) => d.event), log);
 * try { await work(); } finally { stop(); }
 */
export function startHeartbeat(
  env: Env,
  consumer: ConsumerName,
  inHand: () => readonly CurrentEvent[],
  log: Logger,
  everyMs = Math.max(1_000, deliveryPolicy(env).graceMs / 2),
): () => void {
  const beat = async () => {
    const events = inHand();
    if (events.length === 0) return;
    const now = Date.now();
    const db = getDb(env.DB);
    const rows = events.map((e) => ({
      id: `${consumer}/${e.id}`,
      consumer,
      eventId: e.id,
      eventType: e.type,
      correlationId: e.correlationid,
      publishedAt: Date.parse(e.time),
      state: "in-progress" as const,
      heartbeatAt: now,
      checkedAt: now,
    }));
    // 9 columns a row: 11 rows a statement stays within D1's 100 bound parameters.
    const statements = [];
    for (let i = 0; i < rows.length; i += 11) {
      statements.push(
        db
          .insert(deliveries)
          .values(rows.slice(i, i + 11))
          .onConflictDoUpdate({
            target: deliveries.id,
            set: { heartbeatAt: sql`excluded.heartbeat_at`, state: sql`excluded.state` },
          }),
      );
    }
    await db.batch(statements as [(typeof statements)[number], ...typeof statements]);
  };
  const timer = setInterval(() => {
    beat().catch((err) => log.warn("consumer.heartbeat-failed", errorFields(err)));
  }, everyMs);
  return () => clearInterval(timer);
}
