import type { FaultsEnv } from "../../platform/faults/client";
import { strikingOutage } from "../../platform/faults/provider-faults";
import { createLogger, type Logger } from "../../platform/observability/logger";
import { Deadline } from "./deadline";
import { PaymentTimeoutError, PaymentTransientError } from "./errors";
import type {
  AuthorizeRequest,
  CallOptions,
  CaptureRequest,
  PaymentGateway,
  PayoutRequest,
  RefundRequest,
  VoidRequest,
} from "./gateway";

/**
 * The configured gateway behind the game-day faults (src/platform/faults): while a `provider-outage`
 * fault on `payments` is active, every call (or, with the fault's `rate`, that share of calls, drawn
 * from `random`) fails without reaching the provider — `fail` as a
 * PaymentTransientError at once, `timeout` as a PaymentTimeoutError once the gateway's own timeout
 * (PAYMENT_TIMEOUT_MS, or the caller's signal) has passed, as a provider that never answers would.
 * Each injected failure says `injected:`, is logged as `fault.injected` and counted on the fault.
 * `gatewayFor` puts it in front only when fault injection is on.
 *
 * @example
 * const gateway = new OutageGateway(new SandboxGateway(env.PAYMENT_SANDBOX), env, 5000);
 */
export class OutageGateway implements PaymentGateway {
  constructor(
    private readonly inner: PaymentGateway,
    private readonly env: FaultsEnv,
    private readonly timeoutMs: number,
    private readonly log: Logger = createLogger({ provider: "payments" }),
    private readonly random: () => number = Math.random,
  ) {}

  authorize(req: AuthorizeRequest, opts?: CallOptions) {
    return this.call("authorize", req.idempotencyKey, opts, () => this.inner.authorize(req, opts));
  }

  capture(req: CaptureRequest, opts?: CallOptions) {
    return this.call("capture", req.idempotencyKey, opts, () => this.inner.capture(req, opts));
  }

  void(req: VoidRequest, opts?: CallOptions) {
    return this.call("void", req.idempotencyKey, opts, () => this.inner.void(req, opts));
  }

  refund(req: RefundRequest, opts?: CallOptions) {
    return this.call("refund", req.idempotencyKey, opts, () => this.inner.refund(req, opts));
  }

  payout(req: PayoutRequest, opts?: CallOptions) {
    return this.call("payout", req.idempotencyKey, opts, () => this.inner.payout(req, opts));
  }

  private async call<T>(
    operation: string,
    idempotencyKey: string,
    opts: CallOptions | undefined,
    work: () => Promise<T>,
  ): Promise<T> {
    const outage = await strikingOutage(
      this.env,
      "payments",
      this.log,
      { operation, idempotencyKey },
      this.random,
    );
    if (!outage) return work();
    const what = `injected: payments outage, the ${operation} call`;
    if (outage.mode === "fail")
      throw new PaymentTransientError("injected_outage", `${what} failed (fault ${outage.id})`);
    return new Deadline(operation, this.timeoutMs, opts?.signal)
      .expired()
      .catch((err: PaymentTimeoutError) => {
        const within = err.timeoutMs === null ? "before the caller gave up" : `within ${err.timeoutMs} ms`;
        throw new PaymentTimeoutError(
          operation,
          err.timeoutMs,
          `${what} got no answer ${within} (fault ${outage.id})`,
        );
      });
  }
}
