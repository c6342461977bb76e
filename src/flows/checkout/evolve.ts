import type { EventOf, SagaEvent } from "./saga-events";
import type { OrderSagaState, StepRecord, StepStatus } from "./saga-state";

/**
 * The state after `event`: the only way state changes. Total over the events `decide` emits, in the
 * order it emits them; anything else (an event before `order.placed`, a second `order.placed`) is a
 * corrupt history and throws.
 *
 * @example
 * const next = decision.events.reduce(evolve, state);
 */
export function evolve(state: OrderSagaState | null, event: SagaEvent): OrderSagaState {
  if (event.type === "order.placed") {
    if (state !== null) throw new Error(`order ${state.orderId} was already placed`);
    return placed(event);
  }
  if (state === null) throw new Error(`${event.type} before order.placed`);
  const s: OrderSagaState = { ...state, version: state.version + 1, updatedAt: event.at };
  switch (event.type) {
    case "saga.step_started":
      return stepStarted(s, event);
    case "saga.step_succeeded": {
      const { idempotencyKey, detail } = event.data;
      return {
        ...withRecord(s, idempotencyKey, { status: "succeeded", finishedAt: event.at, detail }),
        pending: isPending(s, idempotencyKey) ? null : s.pending,
      };
    }
    case "saga.step_failed": {
      const { idempotencyKey, error, retryAt } = event.data;
      const status: StepStatus =
        retryAt !== null ? "retrying" : error.kind === "timeout" ? "timed-out" : "failed";
      const finishedAt = retryAt !== null ? null : event.at;
      const next = withRecord(s, idempotencyKey, { status, finishedAt, detail: error.message });
      if (!isPending(s, idempotencyKey) || s.pending === null) return next;
      return { ...next, pending: retryAt === null ? null : { command: s.pending.command, retryAt } };
    }
    case "saga.step_abandoned": {
      const { idempotencyKey, why } = event.data;
      return {
        ...withRecord(s, idempotencyKey, { status: "abandoned", finishedAt: event.at, detail: why }),
        pending: isPending(s, idempotencyKey) ? null : s.pending,
      };
    }
    case "saga.compensation_recorded":
      return { ...s, compensations: [...s.compensations, event.data.compensation] };
    case "inventory.reserved":
      return { ...s, inventory: "reserved" };
    case "payment.authorized":
      return { ...s, payment: "authorized", authorizationId: event.data.authorizationId };
    case "order.confirmed":
      // The point of no return: nothing is undone from here, only refunded.
      return { ...s, status: "confirmed", inventory: "sold", compensations: [] };
    case "payment.captured":
      return { ...s, payment: "captured", captureId: event.data.captureId };
    case "payment.capture_failed":
      return { ...s, payment: "capture-failed" };
    case "order.cancellation_started":
      return { ...s, status: "cancelling", cancelReason: event.data.reason };
    case "inventory.released":
      return { ...s, inventory: "released" };
    case "payment.voided":
      return { ...s, payment: "voided" };
    case "order.cancelled":
      return { ...s, status: "cancelled" };
    case "order.refund_requested":
      return { ...s, status: "refunding" };
    case "payment.refunded":
      return { ...s, payment: "refunded", refundId: event.data.refundId };
    case "inventory.restocked":
      return { ...s, inventory: "restocked" };
    case "order.refunded":
      return { ...s, status: "refunded" };
    case "order.saga_stalled": {
      const key = s.pending?.command.idempotencyKey;
      return key === undefined ? s : withRecord(s, key, { stalledAt: event.at });
    }
    default: {
      const unreachable: never = event;
      throw new Error(`unknown event ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Applies events in order; `state` may be null when they start with `order.placed`. */
export function evolveAll(state: OrderSagaState | null, events: readonly SagaEvent[]): OrderSagaState | null {
  return events.reduce<OrderSagaState | null>(evolve, state);
}

function placed(event: EventOf<"order.placed">): OrderSagaState {
  return {
    ...event.data,
    placedAt: event.at,
    status: "pending",
    inventory: "none",
    payment: "none",
    steps: [],
    compensations: [],
    pending: null,
    authorizationId: null,
    captureId: null,
    refundId: null,
    cancelReason: null,
    version: 1,
    updatedAt: event.at,
  };
}

function stepStarted(s: OrderSagaState, event: EventOf<"saga.step_started">): OrderSagaState {
  const { command } = event.data;
  const pending = { command, retryAt: null };
  if (command.attempt > 1) {
    return {
      ...withRecord(s, command.idempotencyKey, { status: "running", attempts: command.attempt }),
      pending,
    };
  }
  const record: StepRecord = {
    name: command.step,
    idempotencyKey: command.idempotencyKey,
    status: "running",
    startedAt: event.at,
    finishedAt: null,
    attempts: 1,
    detail: null,
    stalledAt: null,
  };
  // A compensation leaves the stack when it starts: the stack holds only undos still to run.
  const top = s.compensations.findLastIndex((c) => c.step === command.step);
  const compensations = top === -1 ? s.compensations : s.compensations.filter((_, i) => i !== top);
  return { ...s, steps: [...s.steps, record], compensations, pending };
}

const isPending = (s: OrderSagaState, key: string): boolean => s.pending?.command.idempotencyKey === key;

function withRecord(s: OrderSagaState, key: string, patch: Partial<StepRecord>): OrderSagaState {
  return { ...s, steps: s.steps.map((r) => (r.idempotencyKey === key ? { ...r, ...patch } : r)) };
}
