import type { OrderView, SagaAnswer } from "../../../durable-objects/checkout/order-saga-client";
import type { Actor } from "../../../flows/checkout";
import { ConflictError, ForbiddenError, NotFoundError } from "../../../platform/errors";
import type { OrderRow } from "./order-record";

/**
 * The saga's answer to a cancellation or refund, as HTTP: the new view, or the problem to throw.
 * `unknown-order` is a 404, `unknown-step` a 500; every other refusal is a 409 whose type is the saga's reason, so clients
 * can tell `too-late` from `already-cancelled`.
 *
 * @example
 * const view = viewOrThrow(await saga.cancel(by), orderId);
 */
export function viewOrThrow(answer: SagaAnswer, orderId: string): OrderView {
  if (answer.ok) return answer.view;
  if (answer.reason === "unknown-order") throw new NotFoundError("order", orderId);
  // The saga refusing a step it never issued is our bug, not the client's: a logged 500.
  if (answer.reason === "unknown-step") throw new Error(`order ${orderId}: ${answer.message}`);
  throw new ConflictError(answer.message, answer.reason, { reason: answer.reason });
}

/**
 * Who may refund an order: an admin, or the merchant who sells every line of it. A merchant with no
 * line in it gets the same 404 as an unknown id (order ids leak nothing); one who shares it with other
 * merchants gets 403, since only an admin can refund the others' lines.
 *
 * @throws NotFoundError, ForbiddenError
 */
export function assertMayRefund(order: Pick<OrderRow, "id" | "merchantIds">, actor: Actor): void {
  if (actor.role === "admin") return;
  if (actor.role === "merchant" && order.merchantIds.includes(actor.userId)) {
    if (order.merchantIds.length === 1) return;
    throw new ForbiddenError("This order has lines from other merchants too; an admin must refund it.");
  }
  throw new NotFoundError("order", order.id);
}
