import {
  type CancelReason,
  isTerminal,
  type OrderSagaState,
  type OrderStatus,
  type StepName,
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
