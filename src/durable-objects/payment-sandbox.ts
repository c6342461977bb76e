import { DurableObject } from "cloudflare:workers";
import { meteredEnv, meteredSql } from "../platform/costs/metered-env";
import { newId } from "../platform/ids";
import type {
  Authorization,
  AuthorizeRequest,
  Capture,
  CaptureRequest,
  Payout,
  PayoutRequest,
  Refund,
  RefundRequest,
  VoidRequest,
  VoidResult,
} from "../providers/payments/gateway";
import { decidePayout, PayoutStore, payoutFingerprint } from "../providers/payments/sandbox-payouts";
import { fail, type SandboxBehaviour, type SandboxResult } from "../providers/payments/sandbox-protocol";
import {
  type AuthorizationRecord,
  decideAuthorize,
  decideCapture,
  decideRefund,
  decideVoid,
  fingerprints,
  isStored,
  replayOrRun,
  voidedInAdvance,
} from "../providers/payments/sandbox-rules";
import { shardedPrefix } from "../providers/payments/sandbox-shards";
import { type SandboxLedger, SandboxStore } from "../providers/payments/sandbox-store";
import { cardBehaviour } from "../providers/payments/test-cards";

// A stand-in for an external provider: billed apart, so a cost estimate can leave it out.
const SCOPE = { flow: "payment-sandbox" };

const DEFAULT_SLOW_MS = 1000;

/**
 * A local payment provider (docs/ARCHITECTURE.md, Payments): authorizations, captures, voids and refunds
 * in SQLite, with its own idempotency keys. One shard of a provider account: `SandboxGateway` spreads an
 * account (`sandbox`) over objects named `sandbox/<shard>` by order id (sandbox-shards.ts), and each
 * call says which shard it is on, so the ids minted here (`auth_<shard>_…`) lead later calls back.
 * Tests name their own accounts so they never share records. A thin shell: the rules are in
 * src/providers/payments/sandbox-rules.ts, and failures are answered as values (sandbox-protocol.ts).
 */
export class PaymentSandbox extends DurableObject<Env> {
  private readonly store: SandboxStore;
  private readonly payoutStore: PayoutStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, meteredEnv(env, SCOPE));
    const sql = meteredSql(ctx.storage.sql, SCOPE);
    this.store = new SandboxStore(sql);
    this.payoutStore = new PayoutStore(sql);
  }

  async authorize(
    req: AuthorizeRequest,
    behaviour: SandboxBehaviour = {},
    shard = 0,
  ): Promise<SandboxResult<Authorization>> {
    const outcome = this.once(req.idempotencyKey, "authorize", fingerprints.authorize(req), () => {
      const attempt = this.store.countAttempt(req.idempotencyKey);
      const { flakyFailures } = behaviour;
      const { record, outcome } = decideAuthorize(req, {
        id: newId(shardedPrefix("auth", shard)),
        attempt,
        flakyFailures,
      });
      if (record) this.store.addAuthorization(record, req.idempotencyKey);
      return outcome;
    });
    // Recorded first, answered late: a client that gives up meanwhile leaves an authorization behind.
    if (cardBehaviour(req.paymentMethod) === "slow")
      await scheduler.wait(behaviour.slowMs ?? (Number(this.env.SANDBOX_SLOW_MS) || DEFAULT_SLOW_MS));
    return outcome;
  }

  capture(req: CaptureRequest, shard = 0): SandboxResult<Capture> {
    return this.once(req.idempotencyKey, "capture", fingerprints.capture(req), () => {
      const auth = this.store.authorization("id", req.authorizationId);
      const { capture, outcome } = decideCapture(auth, req, newId(shardedPrefix("cap", shard)));
      if (capture) this.store.addCapture(capture);
      return outcome;
    });
  }

  voidAuthorization(req: VoidRequest, shard = 0): SandboxResult<VoidResult> {
    return this.once(req.idempotencyKey, "void", fingerprints.void(req), () => {
      if ("authorizationId" in req)
        return this.voidRecord(this.store.authorization("id", req.authorizationId), req.authorizationId);
      return this.voidByAuthorize(req.authorize, shard);
    });
  }

  refund(req: RefundRequest, shard = 0): SandboxResult<Refund> {
    return this.once(req.idempotencyKey, "refund", fingerprints.refund(req), () => {
      const capture = this.store.capture(req.captureId);
      const refunded = this.store.refundedSoFar(req.captureId);
      const { refund, outcome } = decideRefund(capture, refunded, req, newId(shardedPrefix("ref", shard)));
      if (refund) this.store.addRefund(refund);
      return outcome;
    });
  }

  payout(req: PayoutRequest): SandboxResult<Payout> {
    return this.once(req.idempotencyKey, "payout", payoutFingerprint(req), () => {
      const outcome = decidePayout(req, newId("po"));
      if (outcome.ok) this.payoutStore.add(outcome.value, req.idempotencyKey);
      return outcome;
    });
  }

  /** Every payout made, or one merchant's. */
  payouts(merchantId?: string): Payout[] {
    return this.payoutStore.list(merchantId ?? null);
  }

  /** Everything the provider holds, or one order's records: what its dashboard would show. */
  ledger(orderId?: string): SandboxLedger {
    return this.store.ledger(orderId ?? null);
  }

  /** Runs `work` once per idempotency key, atomically; a repeat replays its stored answer. */
  private once<T>(
    key: string,
    operation: string,
    fingerprint: string,
    work: () => SandboxResult<T>,
  ): SandboxResult<T> {
    return this.ctx.storage.transactionSync(() => {
      const check = replayOrRun<T>(this.store.key(key), key, operation, fingerprint);
      if (check.decision !== "run") return check.outcome;
      const outcome = work();
      if (isStored(outcome)) this.store.storeKey(key, operation, fingerprint, outcome);
      return outcome;
    });
  }

  /** Voids whatever the authorize with this request made; if it made nothing yet, it never will. */
  private voidByAuthorize(authorize: AuthorizeRequest, shard: number): SandboxResult<VoidResult> {
    const key = authorize.idempotencyKey;
    const fingerprint = fingerprints.authorize(authorize);
    const stored = this.store.key(key);
    const check = replayOrRun<Authorization>(stored, key, "authorize", fingerprint);
    if (check.decision === "refuse") return check.outcome;
    const auth = this.store.authorization("authorize_key", key);
    if (auth || stored) return this.voidRecord(auth, auth?.id ?? null);
    const voided = voidedInAdvance(authorize, newId(shardedPrefix("auth", shard)));
    if ("ok" in voided) return voided;
    this.store.addAuthorization(voided, key);
    const refusal = fail(
      "rejected",
      "authorization_voided",
      `Authorization ${voided.id} was voided before it was made.`,
    );
    this.store.storeKey(key, "authorize", fingerprint, refusal);
    return { ok: true, value: { status: "voided", authorizationId: voided.id } };
  }

  private voidRecord(
    auth: AuthorizationRecord | null,
    authorizationId: string | null,
  ): SandboxResult<VoidResult> {
    const outcome = decideVoid(auth, authorizationId);
    if (auth && outcome.ok) this.store.setStatus(auth.id, "voided");
    return outcome;
  }
}
