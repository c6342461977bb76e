import { PaymentTimeoutError } from "./errors";

/** PAYMENT_TIMEOUT_MS when unset or not a positive number. */
export const DEFAULT_PAYMENT_TIMEOUT_MS = 5000;

/**
 * How long one gateway call may wait for the provider, with the caller's own signal. Both gateways use
 * it, so "no answer" means the same thing whichever provider is configured.
 *
 * @example
 * const deadline = new Deadline("authorize", 5000, opts?.signal);
 * await fetch(url, { signal: deadline.signal });
 */
export class Deadline {
  readonly signal: AbortSignal;

  constructor(
    private readonly operation: string,
    private readonly timeoutMs: number,
    private readonly callerSignal?: AbortSignal,
  ) {
    const timeout = AbortSignal.timeout(timeoutMs);
    this.signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
  }

  /** The error for a call that got no answer: the caller gave up, or our timeout ran out. */
  error(): PaymentTimeoutError {
    return new PaymentTimeoutError(this.operation, this.callerSignal?.aborted ? null : this.timeoutMs);
  }

  /**
   * Resolves like `work`, or rejects with `error()` as soon as the deadline passes. A call that answers
   * in time takes its listener off the signal: the timer still fires later, and a listener left on it
   * would build a PaymentTimeoutError (stack and all) for nobody, once per payment call.
   */
  race<T>(work: Promise<T>): Promise<T> {
    // The abandoned call may still fail later; nobody is listening for it any more.
    work.catch(() => {});
    const deadline = this.#deadline();
    return Promise.race([work, deadline.passed]).finally(deadline.stopListening);
  }

  /** Rejects with `error()` when the deadline passes; never resolves. */
  expired(): Promise<never> {
    return this.#deadline().passed;
  }

  #deadline(): { passed: Promise<never>; stopListening: () => void } {
    let onAbort = () => {};
    const passed = new Promise<never>((_, reject) => {
      onAbort = () => reject(this.error());
      if (this.signal.aborted) onAbort();
      else this.signal.addEventListener("abort", onAbort, { once: true });
    });
    return { passed, stopListening: () => this.signal.removeEventListener("abort", onAbort) };
  }
}
