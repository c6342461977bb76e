import type { StepCommand } from "./commands";
import {
  type AnswerOutcome,
  continueCompensation,
  type Draft,
  emit,
  money,
  orderRef,
  recordCompensation,
  recordFor,
  startStep,
} from "./draft";
import type { StepSucceeded } from "./messages";
import type { OrderSagaState } from "./saga-state";

const isCancelling = (s: OrderSagaState) => s.status === "cancelling" || s.status === "cancelled";

/**
 * A step's effect happened. For the step in flight (any attempt: the effect is idempotent) the saga
 * moves on. A second copy of an answer already taken is ignored. An answer for a step already given up
 * — abandoned by a cancellation, timed out — is a fact nonetheless: a late reservation or authorization
 * on a cancelled order is undone, a late capture after a failed one is recorded.
 */
export function onStepSucceeded(d: Draft, msg: StepSucceeded): AnswerOutcome {
  const record = recordFor(d.state, msg.idempotencyKey, msg.step);
  if (!record) return "unknown-step";
  if (record.status === "succeeded") return "ignored";
  const command = d.state.pending?.command;
  const late = command?.idempotencyKey !== msg.idempotencyKey;
  const { step, idempotencyKey, attempt } = msg;
  emit(d, "saga.step_succeeded", {
    step,
    idempotencyKey,
    attempt,
    late,
    detail: successDetail(msg, command, late),
  });
  if (late) {
    learnLateSuccess(d, msg);
    return "handled";
  }
  const s = d.state;
  switch (msg.step) {
    case "reserve-inventory":
      emit(d, "inventory.reserved", { ...orderRef(s), lines: s.lines });
      recordCompensation(d, "reserve-inventory", true);
      startStep(d, "authorize-payment");
      break;
    case "authorize-payment":
      emit(d, "payment.authorized", {
        ...orderRef(s),
        ...money(s),
        authorizationId: msg.result.authorizationId,
      });
      recordCompensation(d, "authorize-payment", true);
      startStep(d, "confirm-order");
      break;
    case "confirm-order":
      emit(d, "order.confirmed", { ...orderRef(s), ...money(s), lines: s.lines });
      startStep(d, "capture-payment");
      break;
    case "capture-payment":
      emit(d, "payment.captured", {
        ...orderRef(s),
        ...money(s),
        authorizationId: s.authorizationId!,
        captureId: msg.result.captureId,
      });
      break;
    // Only an undo aimed at something known is a fact: a blind one (sent while the step it undoes had
    // not answered) may have come too early, so when that step turns out to have happened, a targeted
    // undo follows and is the one reported.
    case "release-inventory":
      if (command?.type === "ReleaseInventory" && command.reservationConfirmed && s.inventory === "reserved")
        emit(d, "inventory.released", { ...orderRef(s), lines: s.lines });
      continueCompensation(d);
      break;
    case "void-authorization":
      if (
        command?.type === "VoidAuthorization" &&
        command.authorizationId !== null &&
        s.payment === "authorized"
      )
        emit(d, "payment.voided", { ...orderRef(s), ...money(s), authorizationId: command.authorizationId });
      continueCompensation(d);
      break;
    case "refund-payment":
      emit(d, "payment.refunded", {
        ...orderRef(s),
        ...money(s),
        captureId: s.captureId!,
        refundId: msg.result.refundId,
      });
      startStep(d, "restock-inventory");
      break;
    case "restock-inventory":
      emit(d, "inventory.restocked", { ...orderRef(s), lines: s.lines });
      emit(d, "order.refunded", { ...orderRef(d.state), ...money(d.state), lines: d.state.lines });
      break;
    default: {
      const unreachable: never = msg;
      throw new Error(`unknown step ${JSON.stringify(unreachable)}`);
    }
  }
  return "handled";
}

function learnLateSuccess(d: Draft, msg: StepSucceeded): void {
  const s = d.state;
  switch (msg.step) {
    case "reserve-inventory":
      if (s.inventory !== "none" || !isCancelling(s)) return;
      emit(d, "inventory.reserved", { ...orderRef(s), lines: s.lines });
      recordCompensation(d, "reserve-inventory", true);
      continueCompensation(d);
      return;
    case "authorize-payment":
      if (s.payment !== "none" || !isCancelling(s)) return;
      emit(d, "payment.authorized", {
        ...orderRef(s),
        ...money(s),
        authorizationId: msg.result.authorizationId,
      });
      recordCompensation(d, "authorize-payment", true);
      continueCompensation(d);
      return;
    case "capture-payment":
      if (s.payment !== "capture-failed") return;
      emit(d, "payment.captured", {
        ...orderRef(s),
        ...money(s),
        authorizationId: s.authorizationId!,
        captureId: msg.result.captureId,
      });
      return;
    default:
      // A confirmation given up on (the order is cancelling) stays given up: the saga never confirms
      // after it started to cancel. Compensations and refunds are never given up, so never late.
      return;
  }
}

function successDetail(msg: StepSucceeded, command: StepCommand | undefined, late: boolean): string | null {
  const suffix = late ? " (answered after the step was given up)" : "";
  switch (msg.step) {
    case "authorize-payment":
      return `authorization ${msg.result.authorizationId}${suffix}`;
    case "capture-payment":
      return `capture ${msg.result.captureId}${suffix}`;
    case "refund-payment":
      return `refund ${msg.result.refundId}${suffix}`;
    default:
      if (late) return suffix.trim();
      if (command?.type === "VoidAuthorization" && command.authorizationId === null)
        return "sent before the authorization answered: voided whatever the order's key authorized";
      if (command?.type === "ReleaseInventory" && !command.reservationConfirmed)
        return "sent before the reservation answered: released whatever the order held";
      return null;
  }
}
