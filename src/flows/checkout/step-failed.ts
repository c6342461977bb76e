import { reasonForFailure } from "./cancel-reasons";
import type { StepCommand } from "./commands";
import {
  type AnswerOutcome,
  cancel,
  type Draft,
  emit,
  money,
  orderRef,
  recordCompensation,
  recordFor,
  retryPending,
  scheduleRetry,
} from "./draft";
import type { StepFailed } from "./messages";
import type { StepError } from "./schemas";
import { isAbortable, isCompensable } from "./steps";

/** An attempt failed. Only the attempt in flight counts: a repeated or superseded failure is ignored. */
export function onStepFailed(d: Draft, msg: StepFailed): AnswerOutcome {
  if (!recordFor(d.state, msg.idempotencyKey, msg.step)) return "unknown-step";
  const p = d.state.pending;
  if (
    !p ||
    p.retryAt !== null ||
    p.command.idempotencyKey !== msg.idempotencyKey ||
    p.command.attempt !== msg.attempt
  )
    return "ignored";
  failAttempt(d, p.command, msg.error);
  return "handled";
}

/** The alarm: a retry that is due is sent; an attempt past its deadline fails as a timeout. */
export function onAlarm(d: Draft): void {
  const p = d.state.pending;
  if (p === null) return;
  if (p.retryAt !== null) {
    if (d.ctx.now >= p.retryAt) retryPending(d, p.command);
    return;
  }
  if (d.ctx.now < p.command.deadline) return;
  const seconds = d.ctx.policy.stepTimeoutMs[p.command.step] / 1000;
  failAttempt(d, p.command, {
    kind: "timeout",
    code: "deadline-exceeded",
    message: `no answer within ${seconds} s`,
  });
}

function failAttempt(d: Draft, command: StepCommand, error: StepError): void {
  const { policy } = d.ctx;
  const { step, idempotencyKey, attempt } = command;
  if (isAbortable(step)) {
    const final =
      error.kind === "permanent" ||
      attempt >= policy.maxAttempts ||
      (error.kind === "timeout" && policy.compensateOnTimeout.includes(step));
    if (!final) {
      scheduleRetry(d, command, error, false);
      return;
    }
    emit(d, "saga.step_failed", { step, idempotencyKey, attempt, error, retryAt: null });
    // Without a definite "no", the step may have happened: undo it to be safe (the undo of nothing is a no-op).
    if (error.kind !== "permanent" && isCompensable(step)) recordCompensation(d, step, false);
    cancel(d, reasonForFailure(step, error), null, null);
    return;
  }
  const s = d.state;
  if (step === "capture-payment" && error.kind === "permanent") {
    emit(d, "saga.step_failed", { step, idempotencyKey, attempt, error, retryAt: null });
    emit(d, "payment.capture_failed", {
      ...orderRef(s),
      ...money(s),
      authorizationId: s.authorizationId!,
      error,
    });
    return;
  }
  // Must succeed: retry for as long as it takes, and say so once when it starts to look stuck.
  const stalled = error.kind === "permanent" || attempt >= policy.maxAttempts;
  scheduleRetry(d, command, error, stalled);
  const record = recordFor(d.state, idempotencyKey, step);
  if (stalled && record?.stalledAt === null) {
    emit(d, "order.saga_stalled", { ...orderRef(s), step, attempts: attempt, error });
  }
}
