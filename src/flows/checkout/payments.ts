import { type CallOptions, PaymentError, type PaymentGateway } from "../../providers/payments/gateway";
import type {
  AuthorizePayment,
  CapturePayment,
  OrderDetails,
  RefundPayment,
  StepError,
  VoidAuthorization,
} from ".";

/**
 * How a gateway failure reads to the saga: a declined or refused request is permanent, a transient one
 * is retried, and a timeout means the outcome is unknown (the saga decides whether to retry or undo).
 */
export function paymentStepError(err: unknown): StepError {
  if (err instanceof PaymentError) {
    switch (err.kind) {
      case "declined":
      case "rejected":
        return { kind: "permanent", code: err.code, message: err.message };
      case "transient":
        return { kind: "transient", code: err.code, message: err.message };
      case "timeout":
        return { kind: "timeout", code: err.code, message: err.message };
      default: {
        const unreachable: never = err.kind;
        throw new Error(`unknown payment error kind ${String(unreachable)}`);
      }
    }
  }
  return { kind: "transient", code: "unexpected-error", message: String((err as Error)?.message ?? err) };
}

export async function authorizePayment(gateway: PaymentGateway, c: AuthorizePayment, opts: CallOptions) {
  const auth = await gateway.authorize(
    {
      idempotencyKey: c.idempotencyKey,
      orderId: c.orderId,
      amount: c.amount,
      currency: c.currency,
      paymentMethod: c.paymentMethod,
    },
    opts,
  );
  return { authorizationId: auth.id };
}

export async function capturePayment(gateway: PaymentGateway, c: CapturePayment, opts: CallOptions) {
  const capture = await gateway.capture(
    { idempotencyKey: c.idempotencyKey, authorizationId: c.authorizationId, amount: c.amount },
    opts,
  );
  return { captureId: capture.id };
}

/**
 * Voids by id when the authorization answered, else by the very authorize request (same key, same
 * parameters, rebuilt from the order) so the provider voids whatever it made, or makes sure it never will.
 */
export async function voidAuthorization(
  gateway: PaymentGateway,
  c: VoidAuthorization,
  order: OrderDetails,
  opts: CallOptions,
) {
  const { idempotencyKey } = c;
  await gateway.void(
    c.authorizationId !== null
      ? { idempotencyKey, authorizationId: c.authorizationId }
      : {
          idempotencyKey,
          authorize: {
            idempotencyKey: c.authorizationKey,
            orderId: order.orderId,
            amount: order.amount,
            currency: order.currency,
            paymentMethod: order.paymentMethod,
          },
        },
    opts,
  );
  return {};
}

export async function refundPayment(gateway: PaymentGateway, c: RefundPayment, opts: CallOptions) {
  const refund = await gateway.refund(
    { idempotencyKey: c.idempotencyKey, captureId: c.captureId, amount: c.amount },
    opts,
  );
  return { refundId: refund.id };
}
