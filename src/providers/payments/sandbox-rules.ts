import type {
  Authorization,
  AuthorizeRequest,
  Capture,
  CaptureRequest,
  Refund,
  RefundRequest,
  VoidRequest,
  VoidResult,
} from "./gateway";
import { DEFAULT_FLAKY_FAILURES, fail, type SandboxFailure, type SandboxResult } from "./sandbox-protocol";
import { cardBehaviour } from "./test-cards";

/**
 * The sandbox provider's rules, as pure functions over the records it keeps: the PaymentSandbox Durable
 * Object loads the records, calls one of these and stores what it returns. Ids are passed in.
 */

export type AuthorizationStatus = "pending" | "authorized" | "declined" | "voided" | "captured";

export interface AuthorizationRecord {
  id: string;
  orderId: string;
  amount: number;
  currency: string;
  paymentMethod: string;
  status: AuthorizationStatus;
}

export interface CaptureRecord {
  id: string;
  authorizationId: string;
  amount: number;
  currency: string;
}

export interface RefundRecord {
  id: string;
  captureId: string;
  amount: number;
  currency: string;
}

/** A stored answer to an idempotency key. */
export interface KeyRecord {
  operation: string;
  fingerprint: string;
  outcome: SandboxResult<unknown>;
}

/**
 * Whether a call with this key runs, replays its stored answer, or is refused — the key was used for
 * another request (a real provider's 409/400 on idempotency key reuse), or is missing.
 */
export function replayOrRun<T>(
  stored: KeyRecord | null,
  key: string,
  operation: string,
  fingerprint: string,
):
  | { decision: "run" }
  | { decision: "replay"; outcome: SandboxResult<T> }
  | { decision: "refuse"; outcome: SandboxFailure } {
  if (!key)
    return {
      decision: "refuse",
      outcome: fail("rejected", "invalid_request", "idempotencyKey is required."),
    };
  if (stored === null) return { decision: "run" };
  if (stored.operation === operation && stored.fingerprint === fingerprint)
    // Stored by this operation for this request, so it is this operation's answer.
    return { decision: "replay", outcome: stored.outcome as SandboxResult<T> };
  return {
    decision: "refuse",
    outcome: fail(
      "rejected",
      "idempotency_key_reused",
      `Idempotency key '${key}' was already used for a different ${stored.operation} request.`,
    ),
  };
}

/**
 * What "the same request" means under one key: the parameters that matter, in a fixed order, so extra
 * fields or another key order in the caller's object never turn a retry into a conflict.
 */
export const fingerprints = {
  authorize: (r: AuthorizeRequest) => JSON.stringify([r.orderId, r.amount, r.currency, r.paymentMethod]),
  capture: (r: CaptureRequest) => JSON.stringify([r.authorizationId, r.amount]),
  void: (r: VoidRequest) =>
    "authorizationId" in r
      ? JSON.stringify([r.authorizationId])
      : JSON.stringify([r.authorize.idempotencyKey, fingerprints.authorize(r.authorize)]),
  refund: (r: RefundRequest) => JSON.stringify([r.captureId, r.amount]),
};

/** Transient failures are not remembered under the key: the retry runs again, like a provider's 5xx. */
export const isStored = (outcome: SandboxResult<unknown>) => outcome.ok || outcome.kind !== "transient";

const invalidAmount = (amount: number) => !Number.isSafeInteger(amount) || amount <= 0;

function invalidAuthorize(req: AuthorizeRequest): SandboxFailure | null {
  if (!req.orderId) return fail("rejected", "invalid_request", "orderId is required.");
  if (invalidAmount(req.amount))
    return fail("rejected", "invalid_amount", "amount must be a positive integer in minor units.");
  if (!/^[A-Za-z]{3}$/.test(req.currency))
    return fail("rejected", "invalid_currency", "currency must be an ISO 4217 code.");
  if (cardBehaviour(req.paymentMethod) === null)
    return fail("rejected", "payment_method_invalid", `No such payment method: '${req.paymentMethod}'.`);
  return null;
}

const authorizationOf = (r: AuthorizationRecord): Authorization => ({
  id: r.id,
  status: "authorized",
  amount: r.amount,
  currency: r.currency,
});

export function decideAuthorize(
  req: AuthorizeRequest,
  ctx: { id: string; attempt: number; flakyFailures?: number },
): { record: AuthorizationRecord | null; outcome: SandboxResult<Authorization> } {
  const invalid = invalidAuthorize(req);
  if (invalid) return { record: null, outcome: invalid };
  const behaviour = cardBehaviour(req.paymentMethod);
  if (behaviour === "flaky" && ctx.attempt <= (ctx.flakyFailures ?? DEFAULT_FLAKY_FAILURES))
    return {
      record: null,
      outcome: fail("transient", "processing_error", "The card network is temporarily unavailable."),
    };
  const record = (status: AuthorizationStatus): AuthorizationRecord => ({
    id: ctx.id,
    orderId: req.orderId,
    amount: req.amount,
    currency: req.currency,
    paymentMethod: req.paymentMethod,
    status,
  });
  if (behaviour === "declined")
    return {
      record: record("declined"),
      outcome: fail("declined", "card_declined", "Your card was declined."),
    };
  if (behaviour === "never_answers")
    return {
      record: record("pending"),
      outcome: fail("no_answer", "no_answer", "The card network never answers."),
    };
  const authorized = record("authorized");
  return { record: authorized, outcome: { ok: true, value: authorizationOf(authorized) } };
}

const wrongState = (auth: AuthorizationRecord, doing: string) =>
  fail(
    "rejected",
    `authorization_${auth.status}`,
    `Cannot ${doing} authorization ${auth.id}: it is ${auth.status}.`,
  );

export function decideCapture(
  auth: AuthorizationRecord | null,
  req: CaptureRequest,
  id: string,
): { capture: CaptureRecord | null; outcome: SandboxResult<Capture> } {
  if (auth === null)
    return {
      capture: null,
      outcome: fail("rejected", "not_found", `No authorization '${req.authorizationId}'.`),
    };
  if (auth.status !== "authorized") return { capture: null, outcome: wrongState(auth, "capture") };
  if (invalidAmount(req.amount))
    return {
      capture: null,
      outcome: fail("rejected", "invalid_amount", "amount must be a positive integer."),
    };
  if (req.amount > auth.amount)
    return {
      capture: null,
      outcome: fail(
        "rejected",
        "amount_too_large",
        `Cannot capture ${req.amount}: only ${auth.amount} is authorized.`,
      ),
    };
  const capture = { id, authorizationId: auth.id, amount: req.amount, currency: auth.currency };
  return { capture, outcome: { ok: true, value: { ...capture, status: "captured" } } };
}

/** Voiding twice is fine (compensation may run again); voiding a capture is not — refund it instead. */
export function decideVoid(
  auth: AuthorizationRecord | null,
  authorizationId: string | null,
): SandboxResult<VoidResult> {
  if (auth === null) return { ok: true, value: { status: "not_found", authorizationId } };
  if (auth.status === "captured") return wrongState(auth, "void");
  return { ok: true, value: { status: "voided", authorizationId: auth.id } };
}

/** The record a void by authorize request leaves when that authorize never reached the provider. */
export function voidedInAdvance(req: AuthorizeRequest, id: string): AuthorizationRecord | SandboxFailure {
  return (
    invalidAuthorize(req) ?? {
      id,
      orderId: req.orderId,
      amount: req.amount,
      currency: req.currency,
      paymentMethod: req.paymentMethod,
      status: "voided",
    }
  );
}

export function decideRefund(
  capture: CaptureRecord | null,
  refundedSoFar: number,
  req: RefundRequest,
  id: string,
): { refund: RefundRecord | null; outcome: SandboxResult<Refund> } {
  if (capture === null)
    return { refund: null, outcome: fail("rejected", "not_found", `No capture '${req.captureId}'.`) };
  if (invalidAmount(req.amount))
    return {
      refund: null,
      outcome: fail("rejected", "invalid_amount", "amount must be a positive integer."),
    };
  const left = capture.amount - refundedSoFar;
  if (req.amount > left)
    return {
      refund: null,
      outcome: fail(
        "rejected",
        "amount_too_large",
        `Cannot refund ${req.amount}: ${left} of capture ${capture.id} is left to refund.`,
      ),
    };
  const refund = { id, captureId: capture.id, amount: req.amount, currency: capture.currency };
  return { refund, outcome: { ok: true, value: { ...refund, status: "refunded" } } };
}
