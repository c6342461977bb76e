import type { StepCommand } from "./commands";
import type { CancelReason, OrderDetails } from "./schemas";
import type { CompensableStep, CompensationStep, StepName } from "./steps";

/** What the buyer sees. `pending` covers every step up to confirmation. */
export type OrderStatus = "pending" | "confirmed" | "cancelling" | "cancelled" | "refunding" | "refunded";

/** Where the order's items are, as far as the saga knows. `sold` once the order is confirmed. */
export type InventoryState = "none" | "reserved" | "released" | "sold" | "restocked";

/** Where the buyer's money is, as far as the saga knows. */
export type PaymentState = "none" | "authorized" | "voided" | "captured" | "capture-failed" | "refunded";

/**
 * `retrying`: an attempt failed and another is scheduled. `timed-out` / `failed`: given up for good.
 * `abandoned`: still in flight when the order was cancelled; a late answer is handled, never ignored.
 */
export type StepStatus = "running" | "succeeded" | "failed" | "retrying" | "timed-out" | "abandoned";

/** One run of a step, for `GET /v1/orders/:id`: what ran, when, how often, and how it ended. */
export interface StepRecord {
  name: StepName;
  idempotencyKey: string;
  status: StepStatus;
  startedAt: number;
  finishedAt: number | null;
  attempts: number;
  /** Plain-English note: the gateway id it produced, the last error's message, why it was abandoned. */
  detail: string | null;
  /** When `order.saga_stalled` was reported for this run, so it is reported once. */
  stalledAt: number | null;
}

/**
 * An undo recorded right after its forward step succeeded — or right after the step was given up
 * without an answer (`outcomeKnown: false`), since it may have happened anyway: the undo of something
 * that never happened must succeed and change nothing.
 */
export interface Compensation {
  step: CompensationStep;
  compensates: CompensableStep;
  outcomeKnown: boolean;
  recordedAt: number;
}

/** The command in flight, or — when `retryAt` is set — the attempt that failed and will be retried then. */
export interface PendingStep {
  command: StepCommand;
  retryAt: number | null;
}

/** Everything the Durable Object persists for one order. Changed only by `evolve`. */
export interface OrderSagaState extends OrderDetails {
  placedAt: number;
  status: OrderStatus;
  inventory: InventoryState;
  payment: PaymentState;
  /** Every step run in the order it started; a step's attempts share one record. */
  steps: StepRecord[];
  /** Undos still to run, last pushed on top; a compensation leaves the stack when it starts. */
  compensations: Compensation[];
  pending: PendingStep | null;
  authorizationId: string | null;
  captureId: string | null;
  refundId: string | null;
  cancelReason: CancelReason | null;
  /** +1 per event applied: the read model's consistency token. */
  version: number;
  updatedAt: number;
}

/**
 * When the Durable Object's alarm must next fire: the deadline of the attempt in flight, or when the
 * scheduled retry is due; null when nothing is pending (delete the alarm). Arm it after every persist —
 * and after a restart — and a lost answer or an eviction can never leave the saga hanging.
 */
export function alarmAt(state: OrderSagaState): number | null {
  const p = state.pending;
  return p === null ? null : (p.retryAt ?? p.command.deadline);
}

/**
 * Nothing in flight and nothing more will happen on its own: cancelled, refunded, or confirmed with the
 * payment captured. A captured order can still be refunded, and a late gateway answer may still need
 * compensating, so the state must be kept — terminal is not "deletable".
 */
export function isTerminal(state: OrderSagaState): boolean {
  if (state.pending !== null) return false;
  return (
    state.status === "cancelled" ||
    state.status === "refunded" ||
    (state.status === "confirmed" && state.payment === "captured")
  );
}
