/**
 * The payment gateway the checkout saga calls. Two implementations sit behind it: `SandboxGateway`
 * (a local provider in a Durable Object, test payment methods select its behaviour) and `HttpGateway`
 * (a Stripe-like REST API); `gatewayFor(env)` picks one.
 *
 * Every call carries the caller's idempotency key: the provider answers a repeated key with the first
 * answer, so a retry never charges twice. Keys follow `${orderId}:authorize`, `${orderId}:capture`,
 * `${orderId}:void`, `${orderId}:refund`. Money is integer minor units beside an ISO 4217 currency.
 *
 * Failures are typed (./errors.ts): `PaymentDeclinedError` and `PaymentRejectedError` are permanent,
 * `PaymentTransientError` is retried with the same key, and `PaymentTimeoutError` means the outcome is
 * unknown — retry with the same key to learn it, or void the authorization by its authorize request.
 *
 * @example
 * const auth = await gateway.authorize({
 *   idempotencyKey: `${orderId}:authorize`, orderId, amount: 2599, currency: "EUR", paymentMethod: "pm_card_visa",
 * });
 * const capture = await gateway.capture({ idempotencyKey: `${orderId}:capture`, authorizationId: auth.id, amount: 2599 });
 */
export interface PaymentGateway {
  authorize(req: AuthorizeRequest, opts?: CallOptions): Promise<Authorization>;
  capture(req: CaptureRequest, opts?: CallOptions): Promise<Capture>;
  void(req: VoidRequest, opts?: CallOptions): Promise<VoidResult>;
  refund(req: RefundRequest, opts?: CallOptions): Promise<Refund>;
  /** Pays a merchant their settlement; key `${settlementId}:payout`, so a redelivery never pays twice. */
  payout(req: PayoutRequest, opts?: CallOptions): Promise<Payout>;
}

export interface CallOptions {
  /** Gives up early (PaymentTimeoutError) when aborted; the gateway's own timeout applies as well. */
  signal?: AbortSignal;
}

export interface AuthorizeRequest {
  idempotencyKey: string;
  orderId: string;
  amount: number;
  currency: string;
  /** A provider payment method id; the sandbox's test methods are listed in test-cards.ts. */
  paymentMethod: string;
}

export interface CaptureRequest {
  idempotencyKey: string;
  authorizationId: string;
  /** At most the authorized amount; capturing less releases the rest. One capture per authorization. */
  amount: number;
}

/**
 * Void by id, or — when an authorize timed out and its id was never seen — by the authorize request
 * itself: the provider voids whatever that request created, and if it created nothing yet, makes sure
 * it never will (a late or repeated authorize with that key cannot authorize any more).
 */
export type VoidRequest =
  | { idempotencyKey: string; authorizationId: string }
  | { idempotencyKey: string; authorize: AuthorizeRequest };

export interface RefundRequest {
  idempotencyKey: string;
  captureId: string;
  /** Refunds of one capture add up to at most the captured amount. */
  amount: number;
}

export interface PayoutRequest {
  idempotencyKey: string;
  /** The merchant paid; the provider account holds where their money goes. */
  merchantId: string;
  /** Positive, in minor units. */
  amount: number;
  currency: string;
}

export interface Authorization {
  id: string;
  status: "authorized";
  amount: number;
  currency: string;
}

export interface Capture {
  id: string;
  authorizationId: string;
  status: "captured";
  amount: number;
  currency: string;
}

/**
 * Either way nothing is held on the card and nothing can be captured: `voided` — the provider cancelled
 * the authorization (or it was cancelled already); `not_found` — the provider holds no such authorization
 * (`authorizationId` is null when a void by authorize request found that nothing was ever created).
 */
export interface VoidResult {
  status: "voided" | "not_found";
  authorizationId: string | null;
}

export interface Refund {
  id: string;
  captureId: string;
  status: "refunded";
  amount: number;
  currency: string;
}

/** `paid`: the money left; `pending`: the provider accepted it and will pay (a bank transfer's usual state). */
export interface Payout {
  id: string;
  merchantId: string;
  status: "paid" | "pending";
  amount: number;
  currency: string;
}

export {
  PaymentDeclinedError,
  PaymentError,
  PaymentRejectedError,
  PaymentTimeoutError,
  PaymentTransientError,
} from "./errors";
