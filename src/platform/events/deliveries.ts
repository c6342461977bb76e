/**
 * The delivery ledger's decisions, as pure functions. A delivery is one published fact for one
 * consumer subscribed to its type. It is settled when that consumer acknowledged it (its
 * `processed_events` row, written with the effect or the dedup record) or when an operator discarded
 * its dead letter. Until then the reconciler watches it: once it has been quiet for longer than the
 * grace period — no send, no attempt, no re-send — it is sent again to that consumer's own queue, with
 * the quiet period doubling after each re-send, until it is acknowledged or dead-lettered. A delivery
 * whose queue still holds older messages is behind, not lost, and is not re-sent while that lasts; a
 * re-send that nothing followed while its queue stood empty was lost, and goes again after the grace.
 */
import { backoffCeiling } from "../backoff";
import type { QueueBacklog } from "./queue-backlog";
import { RETRIED_OUTCOMES } from "./schema";

export type DeliveryStateName = "queued" | "in-progress" | "retrying" | "dead-lettered";

export interface DeliveryPolicy {
  /** How long a delivery may stay quiet before it is presumed lost (DELIVERY_GRACE_SECONDS). */
  graceMs: number;
  /** The quiet period never grows beyond this. */
  maxQuietMs: number;
  /** Re-sends before the reconciler gives up and dead-letters the delivery itself. */
  maxResends: number;
  /**
   * The longest the queue may hold a message after a failed attempt number `attempt` (its retry
   * delay): a delivery in retry is not presumed lost before that has passed, plus the grace.
   */
  retryDelayMs(attempt: number): number;
}

/** What is known of one delivery when the reconciler looks at it. */
export interface DeliveryFacts {
  consumer: string;
  publishedAt: number;
  acked: boolean;
  deadLetter: { status: "dead" | "redriven" | "discarded"; redrivenAt: number | null } | null;
  lastAttempt: { attempt: number; outcome: string; startedAt: number; error: string | null } | null;
  tracked: { resends: number; lastResentAt: number | null; heartbeatAt?: number | null } | null;
  /**
   * The consumer's queue's own figures (`metrics()`): how many messages wait and since when the oldest
   * does. Null or absent when the queue cannot say. They tell a delivery queued behind older messages
   * (behind, not lost) and a re-send that vanished from an empty queue (lost, not slow).
   */
  queue?: QueueBacklog | null;
}

export type DeliveryDecision =
  | { kind: "settled"; by: "acked" | "discarded" }
  | {
      kind: "outstanding";
      state: DeliveryStateName;
      /** Send it again now. */
      resend: boolean;
      /** Dead-letter it now: it was re-sent `maxResends` times and never acknowledged. */
      giveUp: boolean;
      resends: number;
      /** When it is next due for a look; null while it waits for an operator (dead-lettered). */
      dueAt: number | null;
      /** Due, but not re-sent: its queue still holds older messages (see `queue`). */
      behind?: true;
      lastError: string | null;
    };

/** A failed attempt, real or injected by a fault: the queue retries it after its backoff. */
const retried = (outcome: string | undefined) =>
  (RETRIED_OUTCOMES as readonly (string | undefined)[]).includes(outcome);

/** The quiet period after `resends` re-sends: the grace, doubled per re-send, capped (no jitter). */
export const quietPeriodMs = (resends: number, policy: DeliveryPolicy): number =>
  backoffCeiling(resends + 1, { base: policy.graceMs, cap: policy.maxQuietMs });

/**
 * The last sign of life of a delivery: its send, a redrive, a re-send, a handler's heartbeat, or an
 * attempt and its retry delay.
 */
function lastActivity(f: DeliveryFacts, policy: DeliveryPolicy): number {
  const attempt = f.lastAttempt;
  const attemptUntil =
    attempt === null
      ? 0
      : attempt.startedAt + (retried(attempt.outcome) ? policy.retryDelayMs(attempt.attempt) : 0);
  return Math.max(
    f.publishedAt,
    attemptUntil,
    f.tracked?.lastResentAt ?? 0,
    f.tracked?.heartbeatAt ?? 0,
    f.deadLetter?.redrivenAt ?? 0,
  );
}

/**
 * What to do with one delivery now.
 *
 * @example
 * decideDelivery({ consumer: "email", publishedAt: 0, acked: false, deadLetter: null,
 *   lastAttempt: null, tracked: null }, policy, 60_000); // outstanding, queued, resend: true
 */
export function decideDelivery(f: DeliveryFacts, policy: DeliveryPolicy, now: number): DeliveryDecision {
  if (f.acked) return { kind: "settled", by: "acked" };
  const resends = f.tracked?.resends ?? 0;
  const lastError = f.lastAttempt?.error ?? null;
  switch (f.deadLetter?.status) {
    case "discarded":
      return { kind: "settled", by: "discarded" };
    case "dead":
      // Waiting for an operator (redrive or discard); the dead-letter alerts watch it.
      return {
        kind: "outstanding",
        state: "dead-lettered",
        resend: false,
        giveUp: false,
        resends,
        dueAt: null,
        lastError,
      };
    case "redriven":
    case undefined:
      break;
    default: {
      const unreachable: never = f.deadLetter!.status;
      throw new Error(`unknown dead-letter status ${String(unreachable)}`);
    }
  }
  const heartbeat = f.tracked?.heartbeatAt ?? null;
  const state: DeliveryStateName =
    heartbeat !== null && heartbeat >= (f.lastAttempt?.startedAt ?? 0)
      ? "in-progress"
      : retried(f.lastAttempt?.outcome)
        ? "retrying"
        : "queued";
  const quietSince = lastActivity(f, policy);
  // The quiet period doubles after a re-send so that a consumer that got the copy and is slow to ack is
  // not flooded with more. A re-send with nothing after it (no attempt, heartbeat or redrive) whose queue
  // holds nothing at all never reached the consumer: it was lost (locally, with a runtime that was
  // killed), and waiting out the doubled period would only delay the copy that will arrive.
  const resendLost = f.queue?.count === 0 && quietSince === f.tracked?.lastResentAt;
  const dueAt = quietSince + quietPeriodMs(resendLost ? 0 : resends, policy);
  if (now < dueAt)
    return { kind: "outstanding", state, resend: false, giveUp: false, resends, dueAt, lastError };
  // Quiet because its queue is behind, not because it was lost: the queue still holds a message sent no
  // later than this delivery's last sign of life, so this one is waiting its turn behind it. A re-send
  // would only add to a backlog the consumer is already behind on, and the more it falls behind the more
  // would be re-sent. It is left alone for at most maxQuietMs past its due time, so a delivery that was
  // lost while its queue stayed behind is still re-sent.
  const behindUntil = dueAt + policy.maxQuietMs;
  const oldestAt = f.queue?.oldestAt ?? null;
  if (oldestAt !== null && oldestAt <= quietSince && now < behindUntil) {
    const lookAgain = Math.min(now + policy.graceMs, behindUntil);
    return {
      kind: "outstanding",
      state,
      resend: false,
      giveUp: false,
      resends,
      dueAt: lookAgain,
      lastError,
      behind: true,
    };
  }
  if (resends >= policy.maxResends) {
    return {
      kind: "outstanding",
      state: "dead-lettered",
      resend: false,
      giveUp: true,
      resends,
      dueAt: null,
      lastError,
    };
  }
  const next = resends + 1;
  return {
    kind: "outstanding",
    state,
    resend: true,
    giveUp: false,
    resends: next,
    // Where the queue answers, a grace later is when a lost copy can be told from a slow one; where it
    // cannot say, nothing can be decided before the doubled quiet period is over.
    dueAt: now + (f.queue ? policy.graceMs : quietPeriodMs(next, policy)),
    lastError,
  };
}

/** Why the reconciler dead-lettered a delivery itself. */
export const giveUpReason = (resends: number) =>
  `Not acknowledged by the consumer after ${resends} re-sends by the delivery reconciler.`;
