import type {
  Actor,
  CancelReason,
  OrderDetails,
  OrderStatus,
  RejectionReason,
  StepName,
  StepStatus,
} from "../../domain/checkout";
import { AppError } from "../errors";

/** One step run as the saga reports it. Times are epoch milliseconds. */
export interface OrderStepView {
  name: StepName;
  status: StepStatus;
  startedAt: number;
  finishedAt: number | null;
  attempts: number;
  detail: string | null;
}

/** What the OrderSaga Durable Object answers about its order. */
export interface OrderView {
  orderId: string;
  status: OrderStatus;
  statusMessage: string;
  /** The saga's version: +1 per event it applied. */
  version: number;
  steps: OrderStepView[];
  cancelReason: CancelReason | null;
  updatedAt: number;
}

/** The saga's answer to a cancellation or refund request. */
export type SagaAnswer =
  | { ok: true; view: OrderView }
  | { ok: false; reason: RejectionReason; message: string };

/**
 * The OrderSaga Durable Object's RPC surface, as agreed with feat/orders-do. Declared here because the
 * class is not in this branch; after the merge, derive it from the class (`DurableObjectStub<OrderSaga>`)
 * and delete this interface.
 */
export interface OrderSagaRpc {
  /** Starts the saga; sent again for the same order, it changes nothing. */
  start(order: OrderDetails): Promise<unknown>;
  view(): Promise<OrderView | null>;
  cancel(by: Actor): Promise<SagaAnswer>;
  refund(by: Actor): Promise<SagaAnswer>;
  /** `GET /stream`: the order's changes as Server-Sent Events. */
  fetch(request: Request): Promise<Response>;
}

/** Thrown when this deployment has no ORDER_SAGA binding: a configuration error, answered 503. */
export class OrderSagaUnavailableError extends AppError {
  constructor() {
    super(
      503,
      "order-saga-unavailable",
      "Service unavailable",
      "Order processing is temporarily unavailable; try again shortly.",
      { retryAfterSeconds: 30 },
      { "Retry-After": "30" },
    );
  }
}

/**
 * The ORDER_SAGA namespace. `Env` gains the binding when the Durable Object's wrangler entry lands
 * (feat/orders-do); until then it is read through this one narrow cast, so the merge changes only this
 * function (to `env.ORDER_SAGA`).
 */
function namespaceOf(env: Env): DurableObjectNamespace | undefined {
  return (env as unknown as { ORDER_SAGA?: DurableObjectNamespace }).ORDER_SAGA;
}

/**
 * The order's saga, one Durable Object per order id.
 *
 * @example
 * const answer = await orderSaga(c.env, orderId).cancel({ userId, role: "buyer" });
 */
export function orderSaga(env: Env, orderId: string): OrderSagaRpc & { stream(): Promise<Response> } {
  const ns = namespaceOf(env);
  if (!ns) throw new OrderSagaUnavailableError();
  // A stub of an untyped namespace only knows fetch; the RPC methods are the contract above.
  const stub = ns.get(ns.idFromName(orderId)) as unknown as OrderSagaRpc;
  return {
    start: (order) => stub.start(order),
    view: () => stub.view(),
    cancel: (by) => stub.cancel(by),
    refund: (by) => stub.refund(by),
    fetch: (request) => stub.fetch(request),
    stream: () => stub.fetch(new Request("https://order-saga/stream")),
  };
}
