import { reasonForRequest } from "./cancel-reasons";
import type { Command } from "./commands";
import { cancel, type DecideContext, type Draft, emit, money, orderRef, startStep } from "./draft";
import { evolve } from "./evolve";
import type { CancelRequested, OrderPlaced, RefundRequested, SagaMessage } from "./messages";
import type { SagaEvent } from "./saga-events";
import type { OrderSagaState } from "./saga-state";
import { onAlarm, onStepFailed } from "./step-failed";
import { onStepSucceeded } from "./step-succeeded";

/**
 * Why decide refused a message; nothing was emitted. The route maps `unknown-order` to 404 and the
 * others to 409; `unknown-step` is an answer to a command the saga never issued — a shell bug to log.
 */
export type RejectionReason =
  | "unknown-order"
  | "too-late"
  | "already-cancelled"
  | "not-refundable"
  | "already-refunded"
  | "unknown-step";

export interface Rejection {
  reason: RejectionReason;
  /** For the problem document's `detail`. */
  message: string;
}

/**
 * What to do: apply `events` with `evolve` and persist, publish those `isPublished`, arm
 * `alarmAt(state)`, then run `commands`. `rejected` set means nothing to do (events and commands empty).
 * Empty events without a rejection is an accepted no-op: a duplicate, a stale answer, an early alarm.
 */
export interface Decision {
  events: SagaEvent[];
  commands: Command[];
  rejected: Rejection | null;
}

const rejected = (reason: RejectionReason, message: string): Decision => ({
  events: [],
  commands: [],
  rejected: { reason, message },
});

/**
 * The checkout saga's decisions: given the order's state (null before it is placed) and a message, the
 * facts that follow and the effects to run. Pure: time, jitter and policy come in `ctx`.
 *
 * @example
 * const decision = decide(state, stepSucceeded(command, { authorizationId: "auth_1" }), {
 *   now: Date.now(), random: Math.random, policy: DEFAULT_SAGA_POLICY,
 * });
 * const next = evolveAll(state, decision.events);
 */
export function decide(state: OrderSagaState | null, message: SagaMessage, ctx: DecideContext): Decision {
  if (message.type === "OrderPlaced") return state === null ? placeOrder(message, ctx) : accepted();
  if (state === null) {
    return message.type === "AlarmFired" ? accepted() : rejected("unknown-order", "No such order.");
  }
  const d: Draft = { state, events: [], commands: [], ctx };
  switch (message.type) {
    case "StepSucceeded":
    case "StepFailed": {
      const outcome =
        message.type === "StepSucceeded" ? onStepSucceeded(d, message) : onStepFailed(d, message);
      if (outcome === "unknown-step") {
        return rejected(
          "unknown-step",
          `${message.step} ${message.idempotencyKey} was never issued for this order`,
        );
      }
      break;
    }
    case "AlarmFired":
      onAlarm(d);
      break;
    case "CancelRequested": {
      const refusal = requestCancel(d, message);
      if (refusal) return refusal;
      break;
    }
    case "RefundRequested": {
      const refusal = requestRefund(d, message);
      if (refusal) return refusal;
      break;
    }
    default: {
      const unreachable: never = message;
      throw new Error(`unknown message ${JSON.stringify(unreachable)}`);
    }
  }
  return { events: d.events, commands: d.commands, rejected: null };
}

const accepted = (): Decision => ({ events: [], commands: [], rejected: null });

function placeOrder(message: OrderPlaced, ctx: DecideContext): Decision {
  const placed = { type: "order.placed", at: ctx.now, data: message.order } as const;
  const d: Draft = { state: evolve(null, placed), events: [placed], commands: [], ctx };
  startStep(d, "reserve-inventory");
  return { events: d.events, commands: d.commands, rejected: null };
}

/** Cancellable until the order starts confirming: a confirmation in flight may already have happened. */
function requestCancel(d: Draft, message: CancelRequested): Decision | null {
  const s = d.state;
  switch (s.status) {
    case "pending": {
      const step = s.pending?.command.step;
      if (step === "confirm-order")
        return rejected("too-late", "The order is being confirmed and can no longer be cancelled.");
      cancel(d, reasonForRequest(message.by), message.by, message.note ?? null);
      return null;
    }
    case "cancelling":
    case "cancelled":
      return rejected("already-cancelled", "The order is already cancelled.");
    case "confirmed":
    case "refunding":
    case "refunded":
      return rejected(
        "too-late",
        "The order is confirmed and can no longer be cancelled; ask for a refund instead.",
      );
    default: {
      const unreachable: never = s.status;
      throw new Error(`unknown status ${String(unreachable)}`);
    }
  }
}

/** Refundable once confirmed and captured, once. */
function requestRefund(d: Draft, message: RefundRequested): Decision | null {
  const s = d.state;
  switch (s.status) {
    case "refunding":
    case "refunded":
      return rejected("already-refunded", "The order is already refunded.");
    case "pending":
    case "cancelling":
    case "cancelled":
      return rejected("not-refundable", "Only a confirmed order can be refunded.");
    case "confirmed":
      if (s.payment !== "captured" || s.pending !== null) {
        return rejected(
          "not-refundable",
          "The order's payment has not been taken yet, so there is nothing to refund.",
        );
      }
      emit(d, "order.refund_requested", { ...orderRef(s), ...money(s), requestedBy: message.by });
      startStep(d, "refund-payment");
      return null;
    default: {
      const unreachable: never = s.status;
      throw new Error(`unknown status ${String(unreachable)}`);
    }
  }
}
