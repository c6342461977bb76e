import type { Actor, CancelReason, StepError } from "./schemas";
import type { AbortableStep } from "./steps";

type Code = CancelReason["code"];

/**
 * What the buyer reads, as the end of "Your order was cancelled: …". Requests read as a whole
 * sentence instead ("Your order was cancelled at your request"), hence `requested`.
 */
export const CANCEL_REASONS: Record<Code, { message: string; requested: boolean }> = {
  "out-of-stock": { message: "an item is out of stock", requested: false },
  "item-unavailable": { message: "an item is no longer available", requested: false },
  "inventory-unavailable": { message: "we could not reserve your items just now", requested: false },
  "payment-declined": { message: "your card was declined", requested: false },
  "payment-timeout": { message: "the payment provider did not answer in time", requested: false },
  "payment-unavailable": { message: "we could not reach the payment provider", requested: false },
  "confirmation-failed": { message: "we could not confirm your order", requested: false },
  "requested-by-buyer": { message: "cancelled at your request", requested: true },
  "cancelled-by-merchant": { message: "cancelled by the seller", requested: true },
  "cancelled-by-support": { message: "cancelled by our support team", requested: true },
};

export const cancelReason = (code: Code): CancelReason => ({ code, message: CANCEL_REASONS[code].message });

/** The reason for cancelling after `step` failed for good with `error`. */
export function reasonForFailure(step: AbortableStep, error: StepError): CancelReason {
  switch (step) {
    case "reserve-inventory":
      if (error.kind !== "permanent") return cancelReason("inventory-unavailable");
      return cancelReason(error.code === "out-of-stock" ? "out-of-stock" : "item-unavailable");
    case "authorize-payment":
      return cancelReason(
        error.kind === "permanent"
          ? "payment-declined"
          : error.kind === "timeout"
            ? "payment-timeout"
            : "payment-unavailable",
      );
    case "confirm-order":
      return cancelReason("confirmation-failed");
    default: {
      const unreachable: never = step;
      throw new Error(`unknown step ${String(unreachable)}`);
    }
  }
}

/** The reason for a cancellation someone asked for. */
export function reasonForRequest(by: Actor): CancelReason {
  switch (by.role) {
    case "buyer":
      return cancelReason("requested-by-buyer");
    case "merchant":
      return cancelReason("cancelled-by-merchant");
    case "admin":
      return cancelReason("cancelled-by-support");
    default: {
      const unreachable: never = by.role;
      throw new Error(`unknown role ${String(unreachable)}`);
    }
  }
}
