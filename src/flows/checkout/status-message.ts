import { CANCEL_REASONS } from "./cancel-reasons";
import type { OrderSagaState } from "./saga-state";
import type { StepName } from "./steps";

const WORKING_ON: Partial<Record<StepName, string>> = {
  "reserve-inventory": "We're reserving your items",
  "authorize-payment": "We're confirming your payment",
  "confirm-order": "We're confirming your order",
};

const NOT_CHARGED = "You have not been charged.";

/**
 * The one-line status the buyer reads on `GET /v1/orders/:id`, from the status, the step running and
 * the cancellation reason.
 *
 * @example
 * statusMessage(state); // "Your order was cancelled: your card was declined. You have not been charged."
 */
export function statusMessage(state: OrderSagaState): string {
  switch (state.status) {
    case "pending": {
      const p = state.pending;
      const base = (p && WORKING_ON[p.command.step]) ?? "We're processing your order";
      const slow = p !== null && (p.retryAt !== null || p.command.attempt > 1);
      return slow ? `${base} — this is taking a little longer than usual` : base;
    }
    case "confirmed":
      return "Your order is confirmed";
    case "cancelling": {
      const reason = state.cancelReason;
      return reason && !CANCEL_REASONS[reason.code].requested
        ? `We're cancelling your order: ${reason.message}`
        : "We're cancelling your order";
    }
    case "cancelled": {
      const reason = state.cancelReason;
      if (!reason) return `Your order was cancelled. ${NOT_CHARGED}`;
      return CANCEL_REASONS[reason.code].requested
        ? `Your order was ${reason.message}. ${NOT_CHARGED}`
        : `Your order was cancelled: ${reason.message}. ${NOT_CHARGED}`;
    }
    case "refunding":
      return "We're refunding your order";
    case "refunded":
      return "Your order was refunded";
    default: {
      const unreachable: never = state.status;
      throw new Error(`unknown status ${String(unreachable)}`);
    }
  }
}
