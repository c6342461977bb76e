import { backoffDelay } from "../../platform/backoff";
import { type Command, newStepCommand, type StepCommand } from "./commands";
import { evolve } from "./evolve";
import type { SagaPolicy } from "./policy";
import type { EventOf, SagaEvent, SagaEventType } from "./saga-events";
import type { OrderSagaState, StepRecord } from "./saga-state";
import type { Actor, CancelReason, StepError } from "./schemas";
import { COMPENSATION_OF, type CompensableStep, isCompensable, type StepName } from "./steps";

/** What decide is given besides state and message: the clock, a source of jitter, the policy. */
export interface DecideContext {
  /** Epoch ms. Every event's `at` and every deadline comes from here. */
  now: number;
  /** Uniform in [0, 1); only retry jitter uses it. */
  random: () => number;
  policy: SagaPolicy;
}

/**
 * A decision being built: events are applied to `state` as they are emitted, so later choices in the
 * same decision see earlier ones — through `evolve`, the one place state changes.
 */
export interface Draft {
  state: OrderSagaState;
  readonly events: SagaEvent[];
  readonly commands: Command[];
  readonly ctx: DecideContext;
}

export function emit<T extends SagaEventType>(d: Draft, type: T, data: EventOf<T>["data"]): void {
  // The union cannot be rebuilt from a generic type and its data; EventOf<T> pairs them.
  const event = { type, at: d.ctx.now, data } as unknown as EventOf<T>;
  d.events.push(event);
  d.state = evolve(d.state, event);
}

export const orderRef = (s: OrderSagaState) => ({ orderId: s.orderId, buyerId: s.buyerId });
export const money = (s: OrderSagaState) => ({ amount: s.amount, currency: s.currency });

export function startStep(d: Draft, step: StepName): void {
  const command = newStepCommand(d.state, step, d.ctx.now + d.ctx.policy.stepTimeoutMs[step]);
  emit(d, "saga.step_started", { command });
  d.commands.push(command);
}

/** Sends the pending command again as its next attempt, same key, fresh deadline. */
export function retryPending(d: Draft, failed: StepCommand): void {
  const deadline = d.ctx.now + d.ctx.policy.stepTimeoutMs[failed.step];
  const command: StepCommand = { ...failed, attempt: failed.attempt + 1, deadline };
  emit(d, "saga.step_started", { command });
  d.commands.push(command);
}

/** `atCap`: past `maxAttempts`, a step that must succeed retries at the longest backoff. */
export function scheduleRetry(d: Draft, failed: StepCommand, error: StepError, atCap: boolean): void {
  const { baseBackoffMs: base, maxBackoffMs: cap } = d.ctx.policy;
  const nth = atCap ? Number.POSITIVE_INFINITY : failed.attempt;
  const retryAt = d.ctx.now + backoffDelay(nth, { base, cap }, d.ctx.random);
  const { step, idempotencyKey, attempt } = failed;
  emit(d, "saga.step_failed", { step, idempotencyKey, attempt, error, retryAt });
  d.commands.push({ type: "ScheduleRetry", command: failed, at: retryAt });
}

/** Pushes the undo of `forStep` unless one not yet started is already on the stack (it covers this). */
export function recordCompensation(d: Draft, forStep: CompensableStep, outcomeKnown: boolean): void {
  const step = COMPENSATION_OF[forStep];
  if (d.state.compensations.some((c) => c.step === step)) return;
  emit(d, "saga.compensation_recorded", {
    compensation: { step, compensates: forStep, outcomeKnown, recordedAt: d.ctx.now },
  });
}

/** Starts the next undo (last recorded first); when none is left, the cancellation is complete. */
export function continueCompensation(d: Draft): void {
  if (d.state.pending !== null) return;
  const next = d.state.compensations.at(-1);
  if (next) startStep(d, next.step);
  else if (d.state.status === "cancelling") {
    emit(d, "order.cancelled", {
      ...orderRef(d.state),
      ...money(d.state),
      lines: d.state.lines,
      reason: d.state.cancelReason!,
    });
  }
}

/**
 * Starts cancelling: a step still in flight is abandoned — and, since it may yet happen, its undo is
 * recorded — then the compensations run in reverse.
 */
export function cancel(d: Draft, reason: CancelReason, requestedBy: Actor | null, note: string | null): void {
  const p = d.state.pending;
  if (p !== null) {
    const { step, idempotencyKey } = p.command;
    emit(d, "saga.step_abandoned", {
      step,
      idempotencyKey,
      why: "the order was cancelled before this step answered",
    });
    if (isCompensable(step)) recordCompensation(d, step, false);
  }
  emit(d, "order.cancellation_started", { ...orderRef(d.state), reason, requestedBy, note });
  continueCompensation(d);
}

/** Outcome of matching an answer to the step it answers. */
export type AnswerOutcome = "handled" | "ignored" | "unknown-step";

/** The record of the step run an answer names, if the saga ever started it. */
export const recordFor = (s: OrderSagaState, key: string, step: string): StepRecord | undefined =>
  s.steps.find((r) => r.idempotencyKey === key && r.name === step);
