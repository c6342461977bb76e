import type { BacklogSource, QueueBacklog } from "../../platform/events/queue-backlog";
import { ageSeconds } from "../../platform/observability/metrics/crossdock-metrics";

/**
 * Alert rules over the backlogs that mean "something is not being processed": dead letters, the
 * outbox, and what waits in front of the consumers (each queue's own figures, or the deliveries the
 * ledger found unacknowledged where a queue gives none). Each is judged by the age of its oldest item and its size, not only by a count — one
 * message stuck for a day matters more than a hundred that arrived a second ago. Beside them, work
 * that needs a person even though nothing is dead-lettered: checkouts that stalled or could not
 * capture, jobs that stopped moving, settlements whose payout was refused, an account whose password
 * is being guessed from many addresses.
 */
export interface BacklogSnapshot {
  deadLetters: {
    count: number;
    totalBytes: number;
    /**
     * When the oldest waiting dead letter was stored (its row's `last_failed_at`): its retries were over
     * by then, and a letter that dies again after a redrive is stored anew. Not its first failure,
     * which retries with backoff may put an hour or more earlier.
     */
    oldestStoredAt: number | null;
  };
  outbox: { count: number; oldestCreatedAt: number | null };
  /**
   * What waits in front of the consumers, summed over their queues (`consumerBacklog`): each queue's
   * own figures where its binding gives them, else the deliveries its consumer has not acknowledged
   * past the grace period, queued or retrying (the dead-lettered ones are the dead-letter rules'
   * concern); and the first send of the oldest.
   */
  deliveries: { count: number; oldestPublishedAt: number | null; source: RuleSource };
  attention: {
    /** `order.saga_stalled` and `payment.capture_failed` facts of the last hour. */
    checkoutFailuresLastHour: number;
    /** Jobs queued or running whose row has not changed for ALERT_JOB_STALL_SECONDS. */
    stalledJobs: number;
    /** Settlements whose payout the provider refused (they wait for an operator's redrive). */
    failedSettlements: number;
    /**
     * Emails whose failed logins, across every client address, passed the ceiling in the last 15
     * minutes: a distributed guess at one account, which no lockout may stop without locking its owner out.
     */
    watchedLoginEmails: number;
  };
}

export interface AlertThresholds {
  dlqMaxAgeSeconds: number;
  dlqMaxBytes: number;
  dlqMaxCount: number;
  outboxMaxAgeSeconds: number;
  outboxMaxCount: number;
  deliveryMaxAgeSeconds: number;
  deliveryMaxCount: number;
  jobStallSeconds: number;
}

/** Where a rule's value came from; `mixed` when it sums queues of which only some gave their figures. */
export type RuleSource = BacklogSource | "mixed";

export interface RuleEvaluation {
  rule: string;
  metric: string;
  value: number;
  threshold: number;
  firing: boolean;
  source: RuleSource;
}

/**
 * The delivery states the delivery rules watch. In progress is a handler at work (jobs-stalled watches
 * long work); dead-lettered is the dead-letter rules' concern.
 */
const WAITING_STATES: ReadonlySet<string> = new Set(["queued", "retrying"]);

/**
 * What the delivery rules measure from outstanding deliveries counted per state (`outstandingDeliveries`):
 * how many wait, and the first send of the oldest. The console's per-consumer backlog is this too.
 *
 * @example
 * waitingDeliveries(rows.filter((r) => r.consumer === "email")) // { count: 3, oldestPublishedAt: 1764950400000 }
 */
export function waitingDeliveries(
  rows: readonly { state: string; count: number; oldestPublishedAt: number | null }[],
): { count: number; oldestPublishedAt: number | null } {
  const waiting = rows.filter((d) => WAITING_STATES.has(d.state) && d.count > 0);
  return {
    count: waiting.reduce((sum, d) => sum + d.count, 0),
    oldestPublishedAt: oldestOf(waiting.map((d) => d.oldestPublishedAt)),
  };
}

const oldestOf = (times: readonly (number | null)[]) => {
  const known = times.filter((t) => t !== null);
  return known.length === 0 ? null : Math.min(...known);
};

/** What waits in front of one consumer, and where the figures came from. */
export interface ConsumerBacklog {
  count: number;
  /** When the oldest waiting message was first sent; null when none waits. */
  oldestAt: number | null;
  source: BacklogSource;
}

/**
 * A consumer's backlog: its queue's own figures when the queue gave them (they count what the queue
 * really holds, younger than the grace period too), else its waiting deliveries in the ledger.
 *
 * @example
 * consumerBacklog(ledgerRows, { count: 7, bytes: 4096, oldestAt: 1764950400000 }) // { count: 7, oldestAt: 1764950400000, source: "queue" }
 */
export function consumerBacklog(
  ledger: readonly { state: string; count: number; oldestPublishedAt: number | null }[],
  queue: QueueBacklog | null,
): ConsumerBacklog {
  if (queue) return { count: queue.count, oldestAt: queue.oldestAt, source: "queue" };
  const waiting = waitingDeliveries(ledger);
  return { count: waiting.count, oldestAt: waiting.oldestPublishedAt, source: "crossdock" };
}

/** The delivery rules' figures: every consumer's backlog summed, the oldest of them, and their source. */
export function totalBacklog(backlogs: readonly ConsumerBacklog[]): BacklogSnapshot["deliveries"] {
  const sources = new Set(backlogs.map((b) => b.source));
  return {
    count: backlogs.reduce((sum, b) => sum + b.count, 0),
    oldestPublishedAt: oldestOf(backlogs.map((b) => b.oldestAt)),
    source: sources.size > 1 ? "mixed" : sources.has("queue") ? "queue" : "crossdock",
  };
}

const RULES: readonly {
  rule: string;
  metric: string;
  value: (s: BacklogSnapshot, now: number) => number;
  threshold: (t: AlertThresholds) => number;
  /** Crossdock's own tables unless it says otherwise. */
  source?: (s: BacklogSnapshot) => RuleSource;
}[] = [
  {
    rule: "dead-letters-oldest-age",
    metric: "dead_letters.oldest_age_seconds",
    value: (s, now) => ageSeconds(s.deadLetters.oldestStoredAt, now),
    threshold: (t) => t.dlqMaxAgeSeconds,
  },
  {
    rule: "dead-letters-size",
    metric: "dead_letters.total_bytes",
    value: (s) => s.deadLetters.totalBytes,
    threshold: (t) => t.dlqMaxBytes,
  },
  {
    rule: "dead-letters-count",
    metric: "dead_letters.count",
    value: (s) => s.deadLetters.count,
    threshold: (t) => t.dlqMaxCount,
  },
  {
    rule: "outbox-oldest-age",
    metric: "outbox.oldest_unpublished_age_seconds",
    value: (s, now) => ageSeconds(s.outbox.oldestCreatedAt, now),
    threshold: (t) => t.outboxMaxAgeSeconds,
  },
  {
    rule: "outbox-backlog",
    metric: "outbox.unpublished_count",
    value: (s) => s.outbox.count,
    threshold: (t) => t.outboxMaxCount,
  },
  {
    rule: "deliveries-oldest-unacked-age",
    metric: "deliveries.oldest_unacked_age_seconds",
    value: (s, now) => ageSeconds(s.deliveries.oldestPublishedAt, now),
    source: (s) => s.deliveries.source,
    threshold: (t) => t.deliveryMaxAgeSeconds,
  },
  {
    rule: "deliveries-unacked",
    metric: "deliveries.unacked_count",
    value: (s) => s.deliveries.count,
    source: (s) => s.deliveries.source,
    threshold: (t) => t.deliveryMaxCount,
  },
  // Each of these is one order, job or merchant that a person must look at: any at all fires.
  {
    rule: "checkout-failures",
    metric: "orders.stalled_or_capture_failed_last_hour",
    value: (s) => s.attention.checkoutFailuresLastHour,
    threshold: () => 0,
  },
  {
    rule: "jobs-stalled",
    metric: "jobs.stalled_count",
    value: (s) => s.attention.stalledJobs,
    threshold: () => 0,
  },
  {
    rule: "settlements-failed",
    metric: "settlements.failed_count",
    value: (s) => s.attention.failedSettlements,
    threshold: () => 0,
  },
  {
    rule: "login-failures-ceiling",
    metric: "auth.emails_over_failure_ceiling",
    value: (s) => s.attention.watchedLoginEmails,
    threshold: () => 0,
  },
];

/** Every rule's current value; a rule fires when its value is above its threshold. */
export function evaluateRules(
  snapshot: BacklogSnapshot,
  thresholds: AlertThresholds,
  now: number,
): RuleEvaluation[] {
  return RULES.map((r) => {
    const value = r.value(snapshot, now);
    const threshold = r.threshold(thresholds);
    const source = r.source?.(snapshot) ?? "crossdock";
    return { rule: r.rule, metric: r.metric, value, threshold, firing: value > threshold, source };
  });
}

/** Only transitions are news: raise rules that start firing, resolve those that stopped. */
export function alertTransitions(evaluations: RuleEvaluation[], firing: ReadonlySet<string>) {
  return {
    raise: evaluations.filter((e) => e.firing && !firing.has(e.rule)),
    resolve: evaluations.filter((e) => !e.firing && firing.has(e.rule)).map((e) => e.rule),
  };
}

export function describeAlert(e: RuleEvaluation): string {
  return `${e.metric} is ${e.value}, above the threshold of ${e.threshold} (rule ${e.rule}).`;
}
