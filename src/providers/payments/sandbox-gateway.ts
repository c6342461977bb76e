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
import { DEFAULT_SANDBOX_SHARDS, shardForKey, shardOfId, shardStub } from "./sandbox-shards";

export interface SandboxGatewayOptions extends SandboxBehaviour {
  /** The sandbox account: its PaymentSandbox objects are named `<instance>/<shard>` (default `sandbox`). */
  instance?: string;
  /** How many objects the account is spread over (default DEFAULT_SANDBOX_SHARDS; keep it fixed). */
  shards?: number;
  /** How long a call waits for the sandbox before PaymentTimeoutError (default 5000). */
  timeoutMs?: number;
}

/**
 * The gateway over the local PaymentSandbox provider. Calls go to a Durable Object over RPC, race the
 * timeout, and its failure values become typed errors; a `pm_card_timeout` authorization is never
 * answered, so the call ends in PaymentTimeoutError when the deadline passes.
 *
 * The account is sharded (sandbox-shards.ts): an authorize, or a void by its authorize request, goes to
 * the shard of its order id, a payout to the shard of its merchant id; a capture, a void by id or a refund to the shard its id names. So all of an
 * order's records and idempotency keys live in one object, and many orders' calls run in parallel.
 *
 * @example
 * const gateway = new SandboxGateway(env.PAYMENT_SANDBOX, { timeoutMs: 200, slowMs: 20 });
 */
export class SandboxGateway implements PaymentGateway {
  private readonly instance: string;
  private readonly shards: number;
  private readonly timeoutMs: number;
  private readonly behaviour: SandboxBehaviour;

  constructor(
    private readonly namespace: Env["PAYMENT_SANDBOX"],
    options: SandboxGatewayOptions = {},
  ) {
    this.instance = options.instance ?? "sandbox";
    this.shards = options.shards ?? DEFAULT_SANDBOX_SHARDS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PAYMENT_TIMEOUT_MS;
    this.behaviour = { slowMs: options.slowMs, flakyFailures: options.flakyFailures };
  }

  authorize(req: AuthorizeRequest, opts?: CallOptions): Promise<Authorization> {
    const shard = shardForKey(req.orderId, this.shards);
    return this.call("authorize", opts, () =>
      this.stub(shard).authorize(authorizeParams(req), this.behaviour, shard),
    );
  }

  capture(req: CaptureRequest, opts?: CallOptions): Promise<Capture> {
    const { idempotencyKey, authorizationId, amount } = req;
    const shard = shardOfId(authorizationId) ?? 0;
    return this.call("capture", opts, () =>
      this.stub(shard).capture({ idempotencyKey, authorizationId, amount }, shard),
    );
  }

  void(req: VoidRequest, opts?: CallOptions): Promise<VoidResult> {
    const [params, shard]: [VoidRequest, number] =
      "authorizationId" in req
        ? [
            { idempotencyKey: req.idempotencyKey, authorizationId: req.authorizationId },
            shardOfId(req.authorizationId) ?? 0,
          ]
        : [
            { idempotencyKey: req.idempotencyKey, authorize: authorizeParams(req.authorize) },
            shardForKey(req.authorize.orderId, this.shards),
          ];
    return this.call("void", opts, () => this.stub(shard).voidAuthorization(params, shard));
  }

  refund(req: RefundRequest, opts?: CallOptions): Promise<Refund> {
    const { idempotencyKey, captureId, amount } = req;
    const shard = shardOfId(captureId) ?? 0;
    return this.call("refund", opts, () =>
      this.stub(shard).refund({ idempotencyKey, captureId, amount }, shard),
    );
  }

  private stub(shard: number) {
    return shardStub(this.namespace, this.instance, shard);
  }

  /** A merchant's payouts (and their idempotency keys) live on the merchant's shard. */
  payout(req: PayoutRequest, opts?: CallOptions): Promise<Payout> {
    const { idempotencyKey, merchantId, amount, currency } = req;
    const shard = shardForKey(merchantId, this.shards);
    return this.call("payout", opts, () =>
      this.stub(shard).payout({ idempotencyKey, merchantId, amount, currency }),
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
