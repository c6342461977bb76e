/**
 * What a payment gateway call can fail with. The saga switches on the class (or `kind`):
 *
 * - `PaymentDeclinedError` — the card was refused. Permanent: retrying, even with a new key, is pointless.
 * - `PaymentRejectedError` — the provider refused the request itself: an idempotency key reused with
 *   other parameters, a capture beyond the authorized amount or after a void, an unknown id. Permanent.
 * - `PaymentTransientError` — network failure, 5xx, rate limit. Retry later with the same key.
 * - `PaymentTimeoutError` — no answer in time. The operation may or may not have happened: retry with the
 *   same key to learn which, or compensate (void by authorize request); never assume it did not happen.
 *
 * @example
 * try { await gateway.authorize(req) } catch (e) {
 *   if (e instanceof PaymentError && e.retryable) scheduleRetry();
 * }
 */
export abstract class PaymentError extends Error {
  abstract readonly kind: "declined" | "rejected" | "transient" | "timeout";
  /** True when repeating the call with the same idempotency key may succeed. */
  abstract readonly retryable: boolean;

  constructor(
    /** The provider's machine-readable reason, e.g. `card_declined`, `idempotency_key_reused`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class PaymentDeclinedError extends PaymentError {
  readonly kind = "declined";
  readonly retryable = false;

  constructor(
    /** Why the issuer refused, e.g. `card_declined`, `insufficient_funds`. */
    readonly declineCode: string,
    message = `The payment was declined (${declineCode}).`,
  ) {
    super(declineCode, message);
  }
}

export class PaymentRejectedError extends PaymentError {
  readonly kind = "rejected";
  readonly retryable = false;

  constructor(
    code: string,
    message: string,
    /** The provider's HTTP status, when there was one. */
    readonly status?: number,
  ) {
    super(code, message);
  }
}

export class PaymentTransientError extends PaymentError {
  readonly kind = "transient";
  readonly retryable = true;

  constructor(
    code: string,
    message: string,
    /** How long the provider asked us to wait (Retry-After), when it said. */
    readonly retryAfterMs?: number,
  ) {
    super(code, message);
  }
}

export class PaymentTimeoutError extends PaymentError {
  readonly kind = "timeout";
  readonly retryable = true;

  constructor(
    readonly operation: string,
    readonly timeoutMs: number | null,
    message = timeoutMs === null
      ? `The ${operation} call was abandoned before the provider answered; its outcome is unknown.`
      : `The provider did not answer the ${operation} call within ${timeoutMs} ms; its outcome is unknown.`,
  ) {
    super("timeout", message);
  }
}
