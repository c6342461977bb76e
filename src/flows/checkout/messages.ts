import type { StepCommand } from "./commands";
import type { Actor, OrderDetails, StepError } from "./schemas";
import type { StepName } from "./steps";

/** The route placed an order; the saga starts. Sent again for the same order, it changes nothing. */
export interface OrderPlaced {
  type: "OrderPlaced";
  order: OrderDetails;
}

/** What a successful step returns: the gateway's ids for payment steps, nothing for the others. */
export type StepResult<S extends StepName> = S extends "authorize-payment"
  ? { authorizationId: string }
  : S extends "capture-payment"
    ? { captureId: string }
    : S extends "refund-payment"
      ? { refundId: string }
      : Record<string, never>;

/** A command's effect happened. Build it with `stepSucceeded(command, result)`. */
export type StepSucceeded = {
  [S in StepName]: {
    type: "StepSucceeded";
    step: S;
    idempotencyKey: string;
    attempt: number;
    result: StepResult<S>;
  };
}[StepName];

/** A command's attempt failed. Build it with `stepFailed(command, error)`. */
export interface StepFailed {
  type: "StepFailed";
  step: StepName;
  idempotencyKey: string;
  attempt: number;
  error: StepError;
}

/**
 * The Durable Object's alarm went off. Send it from every `alarm()`: decide works out whether the
 * attempt in flight passed its deadline or a scheduled retry is due; an early or stale alarm is a no-op.
 */
export interface AlarmFired {
  type: "AlarmFired";
}

/** `POST /v1/orders/:id/cancel`. Accepted while the order can still be cancelled, else rejected. */
export interface CancelRequested {
  type: "CancelRequested";
  by: Actor;
  /** Free text from the requester, kept on the fact for support; never shown as the reason. */
  note?: string;
}

/** `POST /v1/orders/:id/refund` by the order's merchant or an admin (the route checks who). */
export interface RefundRequested {
  type: "RefundRequested";
  by: Actor;
}

export type SagaMessage =
  | OrderPlaced
  | StepSucceeded
  | StepFailed
  | AlarmFired
  | CancelRequested
  | RefundRequested;

/**
 * The answer to a command that succeeded.
 *
 * @example
 * decide(state, stepSucceeded(command, { authorizationId: "auth_1" }), ctx);
 */
export function stepSucceeded<C extends StepCommand>(
  command: C,
  result: StepResult<C["step"]>,
): StepSucceeded {
  const { step, idempotencyKey, attempt } = command;
  // TypeScript cannot tie `result`'s type to `step` through the generic; StepResult<C["step"]> does.
  return { type: "StepSucceeded", step, idempotencyKey, attempt, result } as StepSucceeded;
}

/**
 * The answer to a command whose attempt failed.
 *
 * @example
 * decide(state, stepFailed(command, { kind: "permanent", code: "card-declined", message: "Declined" }), ctx);
 */
export function stepFailed(command: StepCommand, error: StepError): StepFailed {
  const { step, idempotencyKey, attempt } = command;
  return { type: "StepFailed", step, idempotencyKey, attempt, error };
}
