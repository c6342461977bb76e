import type { OrderSagaState } from "./saga-state";
import type { CheckoutLine } from "./schemas";
import { idempotencyKeyFor, type StepName } from "./steps";

interface StepCommandBase<Type extends string, Step extends StepName> {
  type: Type;
  step: Step;
  orderId: string;
  /**
   * The same for every attempt of this step run, so a retry never repeats the effect: the gateway's
   * `Idempotency-Key`, the key inventory writes are deduplicated on. Echo it in the answer.
   */
  idempotencyKey: string;
  /** 1, then 2, 3, … for retries of the same run. Echo it in the answer. */
  attempt: number;
  /** Epoch ms after which the alarm counts this attempt as timed out (also `alarmAt(state)`). */
  deadline: number;
}

export interface ReserveInventory extends StepCommandBase<"ReserveInventory", "reserve-inventory"> {
  lines: CheckoutLine[];
}
export interface AuthorizePayment extends StepCommandBase<"AuthorizePayment", "authorize-payment"> {
  buyerId: string;
  amount: number;
  currency: string;
  paymentMethod: string;
}
export interface ConfirmOrder extends StepCommandBase<"ConfirmOrder", "confirm-order"> {}
export interface CapturePayment extends StepCommandBase<"CapturePayment", "capture-payment"> {
  authorizationId: string;
  amount: number;
  currency: string;
}
export interface ReleaseInventory extends StepCommandBase<"ReleaseInventory", "release-inventory"> {
  /** Release whatever the order holds; a release with nothing reserved succeeds and changes nothing. */
  lines: CheckoutLine[];
  /** false when the reservation never answered (timed out, or cancelled in flight): it may hold nothing. */
  reservationConfirmed: boolean;
}
export interface VoidAuthorization extends StepCommandBase<"VoidAuthorization", "void-authorization"> {
  /**
   * null when the authorization never answered (timed out, or cancelled while in flight): the gateway
   * must then void whatever `authorizationKey` authorized, and succeed when it authorized nothing.
   */
  authorizationId: string | null;
  /** The idempotency key the authorization was requested with (`<orderId>:authorize`). */
  authorizationKey: string;
}
export interface RefundPayment extends StepCommandBase<"RefundPayment", "refund-payment"> {
  captureId: string;
  amount: number;
  currency: string;
}
export interface RestockInventory extends StepCommandBase<"RestockInventory", "restock-inventory"> {
  lines: CheckoutLine[];
}

/** An effect for the shell to run, then answer with `stepSucceeded(command, …)` or `stepFailed(command, …)`. */
export type StepCommand =
  | ReserveInventory
  | AuthorizePayment
  | ConfirmOrder
  | CapturePayment
  | ReleaseInventory
  | VoidAuthorization
  | RefundPayment
  | RestockInventory;

/**
 * `command` failed transiently and runs again as attempt + 1 once the alarm at `at` fires (send
 * `AlarmFired`; decide issues the retry). Nothing to run now: arming `alarmAt(state)` covers it.
 */
export interface ScheduleRetry {
  type: "ScheduleRetry";
  command: StepCommand;
  at: number;
}

/** Commands are imperative and never published; the shell runs them after persisting the state. */
export type Command = StepCommand | ScheduleRetry;

function required<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`checkout saga: ${what} is required here but unknown`);
  return value;
}

/** The first attempt of a new run of `step`, built from what the state knows now. */
export function newStepCommand(state: OrderSagaState, step: StepName, deadline: number): StepCommand {
  const run = state.steps.filter((r) => r.name === step).length + 1;
  const base = {
    orderId: state.orderId,
    idempotencyKey: idempotencyKeyFor(state.orderId, step, run),
    attempt: 1,
    deadline,
  };
  const money = { amount: state.amount, currency: state.currency };
  switch (step) {
    case "reserve-inventory":
      return { type: "ReserveInventory", step, ...base, lines: state.lines };
    case "authorize-payment":
      return {
        type: "AuthorizePayment",
        step,
        ...base,
        ...money,
        buyerId: state.buyerId,
        paymentMethod: state.paymentMethod,
      };
    case "confirm-order":
      return { type: "ConfirmOrder", step, ...base };
    case "capture-payment":
      return {
        type: "CapturePayment",
        step,
        ...base,
        ...money,
        authorizationId: required(state.authorizationId, "authorizationId"),
      };
    case "release-inventory":
      return {
        type: "ReleaseInventory",
        step,
        ...base,
        lines: state.lines,
        reservationConfirmed: state.inventory === "reserved",
      };
    case "void-authorization":
      return {
        type: "VoidAuthorization",
        step,
        ...base,
        authorizationId: state.authorizationId,
        authorizationKey: idempotencyKeyFor(state.orderId, "authorize-payment"),
      };
    case "refund-payment":
      return {
        type: "RefundPayment",
        step,
        ...base,
        ...money,
        captureId: required(state.captureId, "captureId"),
      };
    case "restock-inventory":
      return { type: "RestockInventory", step, ...base, lines: state.lines };
    default: {
      const unreachable: never = step;
      throw new Error(`unknown step ${String(unreachable)}`);
    }
  }
}
