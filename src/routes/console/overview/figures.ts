import { and, gt, lte } from "drizzle-orm";
import { CONSUMERS, FLOWS } from "../../../flows";
import type { RuleEvaluation } from "../../../flows/ops/alert-rules";
import { measureAlertRules } from "../../../flows/ops/alerting";
import { type Db, getDb } from "../../../platform/db/client";
import { CONSUMER_DELIVERIES } from "../../../platform/events/metric-rollups";
import type { BacklogSource } from "../../../platform/events/queue-backlog";
import type { ConsumerName } from "../../../platform/events/registry";
import { consumerAttempts } from "../../../platform/events/schema";
import { FAILED_OUTCOMES } from "../../../platform/observability/metrics/crossdock-metrics";
import { readOpsSnapshot } from "../../ops/metrics-snapshot";

/**
 * The figures of "Flows at a glance", each read by the function that already computes it for /ops:
 * the metrics snapshot (`readOpsSnapshot`: delivery counters, dead letters, outbox), the alert rules
 * and each consumer's backlog as an evaluation measures them (`measureAlertRules`), and the delivery
 * counter of /ops/metrics (`CONSUMER_DELIVERIES`) over the last minute for throughput.
 */

export const MINUTE_MS = 60_000;
/** Minutes of history the charts start with: attempt history is kept for days, so they are all there. */
export const HISTORY_MINUTES = 30;

/** Per consumer: deliveries acked, failed (retried or dead-lettered, as /ops/metrics counts failures) and retried. */
export interface DeliveryCounts {
  acked: number;
  failures: number;
  retries: number;
}

const NONE: DeliveryCounts = { acked: 0, failures: 0, retries: 0 };

function countsByConsumer(
  rows: readonly { consumer: string; outcome: string; count: number }[],
): Map<string, DeliveryCounts> {
  const out = new Map<string, DeliveryCounts>();
  for (const r of rows) {
    const c = out.get(r.consumer) ?? { ...NONE };
    if (r.outcome === "acked") c.acked += r.count;
    if (r.outcome === "retried") c.retries += r.count;
    if (FAILED_OUTCOMES.has(r.outcome)) c.failures += r.count;
    out.set(r.consumer, c);
  }
  return out;
}

/**
 * Deliveries per consumer in the minute up to each of `ends` (attempts started in (end − 1 min, end]):
 * the all-time counter of `crossdock_consumer_deliveries_total` restricted to that window, one statement
 * per window, all in one batch.
 */
export async function deliveriesPerMinute(
  db: Db,
  ends: readonly number[],
): Promise<Map<string, DeliveryCounts>[]> {
  const [first, ...rest] = ends.map((end) =>
    CONSUMER_DELIVERIES.select(
      db,
      and(gt(consumerAttempts.startedAt, end - MINUTE_MS), lte(consumerAttempts.startedAt, end)),
    ),
  );
  if (!first) return [];
  const windows = await db.batch([first, ...rest]);
  return windows.map((rows) =>
    countsByConsumer(
      CONSUMER_DELIVERIES.totals(rows).map(({ labels, value }) => ({ ...labels, count: value })),
    ),
  );
}

export interface ConsumerFigures {
  consumer: ConsumerName;
  flow: string;
  queue: string;
  /**
   * What waits in front of it, as the `deliveries-unacked` rule counts it: its queue's own count, or
   * (`backlogSource` "crossdock") the deliveries unacknowledged past the grace period, queued or retrying.
   */
  backlog: number;
  /** First send of the oldest of those; null when none waits. */
  oldestUnackedAt: number | null;
  backlogSource: BacklogSource;
  /** In the last minute. */
  ackedPerMinute: number;
  failuresPerMinute: number;
  /** All time, as /ops/metrics counts them. */
  failures: number;
  retries: number;
  /** Dead letters from its queue waiting for an operator. */
  deadLetters: number;
}

/** A rule as an evaluation would judge it now, and since when its alert fires (null: not firing). */
export interface RuleFigures extends RuleEvaluation {
  firingSince: number | null;
}

export interface FlowFigures {
  at: number;
  outbox: { unpublished: number; oldestCreatedAt: number | null };
  consumers: ConsumerFigures[];
  rules: RuleFigures[];
}

const flowOfConsumer = new Map<string, string>(
  FLOWS.flatMap((f) => Object.keys(f.consumers).map((c) => [c, f.name] as const)),
);

/** Every figure of the page at `now`: three reads side by side (the snapshot, the last minute, the rules). */
export async function readFlowFigures(env: Env, now: number): Promise<FlowFigures> {
  const [snapshot, [lastMinute], measured] = await Promise.all([
    readOpsSnapshot(env, now),
    deliveriesPerMinute(getDb(env.DB), [now]),
    measureAlertRules(env, now),
  ]);
  const allTime = countsByConsumer(snapshot.deliveries);
  const consumers = (Object.keys(CONSUMERS) as ConsumerName[]).map((consumer): ConsumerFigures => {
    const { queue } = CONSUMERS[consumer];
    const waiting = measured.backlogs.get(consumer);
    const minute = lastMinute?.get(consumer) ?? NONE;
    const total = allTime.get(consumer) ?? NONE;
    return {
      consumer,
      flow: flowOfConsumer.get(consumer) ?? "",
      queue,
      backlog: waiting?.count ?? 0,
      oldestUnackedAt: waiting?.oldestAt ?? null,
      backlogSource: waiting?.source ?? "crossdock",
      ackedPerMinute: minute.acked,
      failuresPerMinute: minute.failures,
      failures: total.failures,
      retries: total.retries,
      deadLetters: snapshot.deadLetters.find((d) => d.queue === queue)?.count ?? 0,
    };
  });
  const since = new Map(measured.firing.map((a) => [a.rule, a.raisedAt]));
  const known = new Set(measured.evaluations.map((e) => e.rule));
  const rules: RuleFigures[] = [
    ...measured.evaluations.map((e) => ({ ...e, firingSince: since.get(e.rule) ?? null })),
    // An alert of a rule that no longer exists still fires until someone resolves it: shown as raised.
    ...measured.firing
      .filter((a) => !known.has(a.rule))
      .map((a) => ({ ...a, firing: true, firingSince: a.raisedAt, source: "crossdock" as const })),
  ];
  return { at: now, outbox: snapshot.outbox, consumers, rules };
}

/** Acked and failed deliveries per minute, per consumer, for each of the HISTORY_MINUTES minutes before `now`. */
export interface FlowHistory {
  /** The end of each minute. */
  at: number[];
  perConsumer: Map<string, DeliveryCounts[]>;
}

export async function readFlowHistory(env: Pick<Env, "DB">, now: number): Promise<FlowHistory> {
  const at = Array.from({ length: HISTORY_MINUTES }, (_, i) => now - (HISTORY_MINUTES - i) * MINUTE_MS);
  const windows = await deliveriesPerMinute(getDb(env.DB), at);
  const perConsumer = new Map(
    Object.keys(CONSUMERS).map((consumer) => [consumer, windows.map((w) => w.get(consumer) ?? NONE)]),
  );
  return { at, perConsumer };
}
