import { and, count, eq, gt, inArray, isNull, lt, sql } from "drizzle-orm";
import { getDb } from "../../platform/db/client";
import { outstandingDeliveries } from "../../platform/events/deliveries-query";
import { newEvent } from "../../platform/events/new-event";
import { outboxStatements } from "../../platform/events/outbox";
import { publishNow } from "../../platform/events/publish";
import { readQueueBacklogs } from "../../platform/events/queue-backlog";
import type { ConsumerName } from "../../platform/events/registry";
import { alerts, deadLetters, outbox } from "../../platform/events/schema";
import { newId } from "../../platform/ids";
import { jobs } from "../../platform/jobs/schema";
import type { Logger } from "../../platform/observability/logger";
import { continueOrStartTrace, formatTraceparent } from "../../platform/observability/traceparent";
import { watchedEmailsQuery } from "../accounts/login-watch";
import { settlements } from "../settlements/schema";
import {
  type AlertThresholds,
  alertTransitions,
  type ConsumerBacklog,
  consumerBacklog,
  describeAlert,
  evaluateRules,
  type RuleEvaluation,
  totalBacklog,
} from "./alert-rules";

const HOUR_MS = 3_600_000;

/**
 * A dead letter is an effect that will not happen until a person acts, so one is worth an alert soon:
 * over 4 minutes waiting, the every-minute evaluation raises it within 5 minutes of its storing.
 */
const DEFAULT_DLQ_MAX_AGE_SECONDS = 240;

export function thresholdsFrom(env: Env): AlertThresholds {
  const n = (v: string | undefined, d: number) =>
    v !== undefined && v !== "" && Number.isFinite(Number(v)) ? Number(v) : d;
  return {
    dlqMaxAgeSeconds: n(env.ALERT_DLQ_MAX_AGE_SECONDS, DEFAULT_DLQ_MAX_AGE_SECONDS),
    dlqMaxBytes: n(env.ALERT_DLQ_MAX_BYTES, 1_048_576),
    dlqMaxCount: n(env.ALERT_DLQ_MAX_COUNT, 100),
    outboxMaxAgeSeconds: n(env.ALERT_OUTBOX_MAX_AGE_SECONDS, 300),
    outboxMaxCount: n(env.ALERT_OUTBOX_MAX_COUNT, 1000),
    deliveryMaxAgeSeconds: n(env.ALERT_DELIVERY_MAX_AGE_SECONDS, 300),
    deliveryMaxCount: n(env.ALERT_DELIVERY_MAX_COUNT, 100),
    jobStallSeconds: n(env.ALERT_JOB_STALL_SECONDS, 900),
  };
}

/** An alert firing now: which rule, since when, and what it measured when it was raised. */
export type FiringAlert = Pick<
  typeof alerts.$inferSelect,
  "id" | "rule" | "metric" | "value" | "threshold" | "raisedAt"
>;

/** What `measureAlertRules` read: every rule's value, the alerts firing, and each consumer's backlog. */
export interface AlertMeasure {
  evaluations: RuleEvaluation[];
  firing: FiringAlert[];
  backlogs: ReadonlyMap<ConsumerName, ConsumerBacklog>;
}

/**
 * Every rule's value now, read in one D1 batch beside each queue's own backlog figures, and the alerts
 * firing: what an evaluation decides from, and what the console shows (a rule can be above its
 * threshold a little before the next evaluation raises its alert). Writes nothing.
 */
export async function measureAlertRules(env: Env, now: number): Promise<AlertMeasure> {
  const db = getDb(env.DB);
  const thresholds = thresholdsFrom(env);
  const queues = readQueueBacklogs(env);
  const [dl, ob, unacked, checkout, stalled, failed, watched, firing] = await db.batch([
    db
      .select({
        count: sql<number>`count(*)`,
        totalBytes: sql<number>`coalesce(sum(${deadLetters.sizeBytes}), 0)`,
        oldestStoredAt: sql<number | null>`min(${deadLetters.lastFailedAt})`,
      })
      .from(deadLetters)
      .where(eq(deadLetters.status, "dead")),
    db
      .select({ count: sql<number>`count(*)`, oldestCreatedAt: sql<number | null>`min(${outbox.createdAt})` })
      .from(outbox)
      .where(isNull(outbox.publishedAt)),
    outstandingDeliveries(db),
    db
      .select({ n: count() })
      .from(outbox)
      .where(
        and(
          inArray(outbox.type, ["order.saga_stalled", "payment.capture_failed"]),
          gt(outbox.createdAt, now - HOUR_MS),
        ),
      ),
    db
      .select({ n: count() })
      .from(jobs)
      .where(
        and(
          inArray(jobs.status, ["queued", "running"]),
          lt(jobs.updatedAt, now - thresholds.jobStallSeconds * 1000),
        ),
      ),
    db.select({ n: count() }).from(settlements).where(eq(settlements.status, "failed")),
    watchedEmailsQuery(db, now),
    db
      .select({
        id: alerts.id,
        rule: alerts.rule,
        metric: alerts.metric,
        value: alerts.value,
        threshold: alerts.threshold,
        raisedAt: alerts.raisedAt,
      })
      .from(alerts)
      .where(eq(alerts.state, "firing")),
  ]);
  const backlogs = new Map(
    [...(await queues)].map(([consumer, queue]) => [
      consumer,
      consumerBacklog(
        unacked.filter((u) => u.consumer === consumer),
        queue,
      ),
    ]),
  );
  const snapshot = {
    deadLetters: dl[0]!,
    outbox: ob[0]!,
    deliveries: totalBacklog([...backlogs.values()]),
    attention: {
      checkoutFailuresLastHour: checkout[0]?.n ?? 0,
      stalledJobs: stalled[0]?.n ?? 0,
      failedSettlements: failed[0]?.n ?? 0,
      watchedLoginEmails: watched[0]?.n ?? 0,
    },
  };
  return { evaluations: evaluateRules(snapshot, thresholds, now), firing, backlogs };
}

/**
 * Measures the dead letters, the outbox backlog and the unacknowledged deliveries, raises alerts for rules that start firing (each a
 * row in `alerts` and an `ops.alert.raised` event, written in one batch and relayed so operators get
 * an email) and resolves those that stopped. Runs every minute and whenever a message is dead-lettered.
 */
export async function evaluateAlerts(
  env: Env,
  now: number,
  log: Logger,
): Promise<{ raised: string[]; resolved: string[] }> {
  const db = getDb(env.DB);
  const { evaluations, firing } = await measureAlertRules(env, now);
  const { raise, resolve } = alertTransitions(evaluations, new Set(firing.map((r) => r.rule)));

  const raised: string[] = [];
  for (const e of raise) {
    const alertId = newId("alr", now);
    const message = describeAlert(e);
    const event = newEvent(
      "ops.alert.raised",
      alertId,
      { alertId, rule: e.rule, metric: e.metric, value: e.value, threshold: e.threshold, message },
      {
        correlationId: alertId,
        causationId: `rule:${e.rule}`,
        traceparent: formatTraceparent(continueOrStartTrace(null)),
      },
      "/crossdock/ops",
      now,
    );
    try {
      await db.batch([
        db.insert(alerts).values({
          id: alertId,
          rule: e.rule,
          metric: e.metric,
          value: e.value,
          threshold: e.threshold,
          message,
          state: "firing",
          raisedAt: now,
        }),
        ...outboxStatements(db, [event], undefined, now),
      ]);
    } catch (err) {
      // Another evaluation raised it first (one firing alert per rule is a unique index): nothing to do.
      if (String((err as Error).message).includes("UNIQUE")) continue;
      throw err;
    }
    raised.push(e.rule);
    log.warn("alert.raised", { alertId, rule: e.rule, value: e.value, threshold: e.threshold });
    // A relay failure must not skip the other rules: the event is in the outbox, the sweeper sends it.
    await publishNow(env, [event], log);
  }
  if (resolve.length > 0) {
    await db
      .update(alerts)
      .set({ state: "resolved", resolvedAt: now })
      .where(and(eq(alerts.state, "firing"), inArray(alerts.rule, resolve)));
    log.info("alert.resolved", { rules: resolve });
  }
  return { raised, resolved: resolve };
}
