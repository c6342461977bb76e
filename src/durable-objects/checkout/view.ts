import {
  alarmAt,
  type CancelReason,
  type Compensation,
  type InventoryState,
  isTerminal,
  type OrderSagaState,
  type OrderStatus,
  type PaymentState,
  type StepName,
  type StepRecord,
  type StepStatus,
  statusMessage,
} from "../../flows/checkout";

/** One step run as clients see it (`GET /v1/orders/:id`, and the `steps` column of `orders`). */
export interface StepView {
  name: StepName;
  status: StepStatus;
  startedAt: number;
  finishedAt: number | null;
  attempts: number;
  detail: string | null;
}

/** What `OrderSaga.view()` answers; times are epoch ms, `version` is the consistency token. */
export interface OrderView {
  orderId: string;
  status: OrderStatus;
  statusMessage: string;
  version: number;
  steps: StepView[];
  cancelReason: CancelReason | null;
  updatedAt: number;
}

/** One `event: status` of the order's stream. `terminal`: nothing more will happen on its own. */
export interface StatusUpdate {
  orderId: string;
  status: OrderStatus;
  statusMessage: string;
  version: number;
  terminal: boolean;
}

export const stepViews = (state: OrderSagaState): StepView[] =>
  state.steps.map(({ name, status, startedAt, finishedAt, attempts, detail }) => ({
    name,
    status,
    startedAt,
    finishedAt,
    attempts,
    detail,
  }));

export const orderView = (state: OrderSagaState): OrderView => ({
  orderId: state.orderId,
  status: state.status,
  statusMessage: statusMessage(state),
  version: state.version,
  steps: stepViews(state),
  cancelReason: state.cancelReason,
  updatedAt: state.updatedAt,
});

export const statusUpdate = (state: OrderSagaState): StatusUpdate => ({
  orderId: state.orderId,
  status: state.status,
  statusMessage: statusMessage(state),
  version: state.version,
  terminal: isTerminal(state),
});

/**
 * What an operator sees of a saga (the console's order page): its view, with each step's idempotency key
 * and stall, what it is waiting for and until when, the undos still on its stack, where it believes the
 * payment and the stock are, and whether D1 has caught up with it.
 */
export interface SagaInspection extends OrderView {
  steps: StepRecord[];
  inventory: InventoryState;
  payment: PaymentState;
  authorizationId: string | null;
  captureId: string | null;
  refundId: string | null;
  /** The attempt in flight (until `deadline`) or the one that failed and is retried at `retryAt`. */
  pending: {
    step: StepName;
    attempt: number;
    idempotencyKey: string;
    deadline: number;
    retryAt: number | null;
  } | null;
  /** Undos still to run, the next one first. */
  compensations: Compensation[];
  /** When the saga wakes up on its own next (`alarmAt`); null when it waits for nothing. */
  nextWakeAt: number | null;
  terminal: boolean;
  /** The saga holds a state or facts D1 has not been written yet (its alarm retries the write). */
  d1Behind: boolean;
}

export function sagaInspection(
  state: OrderSagaState,
  sync: { d1Version: number; unsynced: number },
): SagaInspection {
  const p = state.pending;
  return {
    ...orderView(state),
    steps: state.steps,
    inventory: state.inventory,
    payment: state.payment,
    authorizationId: state.authorizationId,
    captureId: state.captureId,
    refundId: state.refundId,
    pending: p && {
      step: p.command.step,
      attempt: p.command.attempt,
      idempotencyKey: p.command.idempotencyKey,
      deadline: p.command.deadline,
      retryAt: p.retryAt,
    },
    compensations: [...state.compensations].reverse(),
    nextWakeAt: alarmAt(state),
    terminal: isTerminal(state),
    d1Behind: sync.d1Version < state.version || sync.unsynced > 0,
  };
}
