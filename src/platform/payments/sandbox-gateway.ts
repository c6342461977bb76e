import { DEFAULT_PAYMENT_TIMEOUT_MS, Deadline } from "./deadline";
import { PaymentTimeoutError, PaymentTransientError } from "./errors";
import type {
  Authorization,
  AuthorizeRequest,
  CallOptions,
  Capture,
  CaptureRequest,
  PaymentGateway,
  Payout,
  PayoutRequest,
  Refund,
  RefundRequest,
  VoidRequest,
  VoidResult,
} from "./gateway";
import { type SandboxBehaviour, type SandboxResult, toPaymentError } from "./sandbox-protocol";

export interface SandboxGatewayOptions extends SandboxBehaviour {
  /** The sandbox account, i.e. the PaymentSandbox object's name (default `sandbox`). */
  instance?: string;
  /** How long a call waits for the sandbox before PaymentTimeoutError (default 5000). */
  timeoutMs?: number;
}

/**
 * The gateway over the local PaymentSandbox provider. Calls go to the Durable Object over RPC, race the
 * timeout, and its failure values become typed errors; a `pm_card_timeout` authorization is never
 * answered, so the call ends in PaymentTimeoutError when the deadline passes.
 *
 * @example
 * const gateway = new SandboxGateway(env.PAYMENT_SANDBOX, { timeoutMs: 200, slowMs: 20 });
 */
export class SandboxGateway implements PaymentGateway {
  private readonly stub: ReturnType<Env["PAYMENT_SANDBOX"]["get"]>;
  private readonly timeoutMs: number;
  private readonly behaviour: SandboxBehaviour;

  constructor(namespace: Env["PAYMENT_SANDBOX"], options: SandboxGatewayOptions = {}) {
    this.stub = namespace.get(namespace.idFromName(options.instance ?? "sandbox"));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PAYMENT_TIMEOUT_MS;
    this.behaviour = { slowMs: options.slowMs, flakyFailures: options.flakyFailures };
  }

  authorize(req: AuthorizeRequest, opts?: CallOptions): Promise<Authorization> {
    return this.call("authorize", opts, () => this.stub.authorize(authorizeParams(req), this.behaviour));
  }

  capture(req: CaptureRequest, opts?: CallOptions): Promise<Capture> {
    const { idempotencyKey, authorizationId, amount } = req;
    return this.call("capture", opts, () => this.stub.capture({ idempotencyKey, authorizationId, amount }));
  }

  void(req: VoidRequest, opts?: CallOptions): Promise<VoidResult> {
    const params: VoidRequest =
      "authorizationId" in req
        ? { idempotencyKey: req.idempotencyKey, authorizationId: req.authorizationId }
        : { idempotencyKey: req.idempotencyKey, authorize: authorizeParams(req.authorize) };
    return this.call("void", opts, () => this.stub.voidAuthorization(params));
  }

  refund(req: RefundRequest, opts?: CallOptions): Promise<Refund> {
    const { idempotencyKey, captureId, amount } = req;
    return this.call("refund", opts, () => this.stub.refund({ idempotencyKey, captureId, amount }));
  }

  payout(req: PayoutRequest, opts?: CallOptions): Promise<Payout> {
    const { idempotencyKey, merchantId, amount, currency } = req;
    return this.call("payout", opts, () =>
      this.stub.payout({ idempotencyKey, merchantId, amount, currency }),
    );
  }

  private async call<T>(
    operation: string,
    opts: CallOptions | undefined,
    send: () => Promise<SandboxResult<T>>,
  ): Promise<T> {
    const deadline = new Deadline(operation, this.timeoutMs, opts?.signal);
    if (deadline.signal.aborted) throw deadline.error();
    let answer: SandboxResult<T>;
    try {
      answer = await deadline.race(send());
    } catch (e) {
      if (e instanceof PaymentTimeoutError) throw e;
      // The object was reset or unreachable; the same key makes the retry safe whatever happened.
      throw new PaymentTransientError("sandbox_unavailable", `The payment sandbox failed: ${String(e)}`);
    }
    if (answer.ok) return answer.value;
    if (answer.kind === "no_answer") return deadline.expired();
    throw toPaymentError(answer.kind, answer.code, answer.message);
  }
}

/** Only the fields the provider takes: RPC would copy (or choke on) anything else the caller's object holds. */
const authorizeParams = (r: AuthorizeRequest): AuthorizeRequest => ({
  idempotencyKey: r.idempotencyKey,
  orderId: r.orderId,
  amount: r.amount,
  currency: r.currency,
  paymentMethod: r.paymentMethod,
});
