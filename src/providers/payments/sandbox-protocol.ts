import {
  PaymentDeclinedError,
  type PaymentError,
  PaymentRejectedError,
  PaymentTransientError,
} from "./errors";

/**
 * What the PaymentSandbox Durable Object answers over RPC. Errors thrown in a Durable Object reach the
 * caller as a bare `Error` with only a message, so the sandbox returns its failures as values and
 * `SandboxGateway` turns them into the typed errors.
 */
export type SandboxResult<T> = { ok: true; value: T } | SandboxFailure;

export interface SandboxFailure {
  ok: false;
  /** `no_answer`: the provider keeps the caller waiting (pm_card_timeout); the client times out. */
  kind: "declined" | "rejected" | "transient" | "no_answer";
  code: string;
  message: string;
}

/** Test hooks a real provider would not have; unset, the sandbox uses its defaults. */
export interface SandboxBehaviour {
  /** How long pm_card_slow takes to answer (default: SANDBOX_SLOW_MS). */
  slowMs?: number;
  /** How many attempts per idempotency key pm_card_flaky fails before it succeeds (default 2). */
  flakyFailures?: number;
}

export const DEFAULT_FLAKY_FAILURES = 2;

export const fail = (kind: SandboxFailure["kind"], code: string, message: string): SandboxFailure => ({
  ok: false,
  kind,
  code,
  message,
});

/** The typed error for a sandbox failure that has an answer (`no_answer` becomes a timeout instead). */
export function toPaymentError(
  kind: Exclude<SandboxFailure["kind"], "no_answer">,
  code: string,
  message: string,
): PaymentError {
  switch (kind) {
    case "declined":
      return new PaymentDeclinedError(code, message);
    case "rejected":
      return new PaymentRejectedError(code, message);
    case "transient":
      return new PaymentTransientError(code, message);
    default: {
      const unreachable: never = kind;
      throw new Error(`Unknown sandbox failure kind: ${String(unreachable)}`);
    }
  }
}
