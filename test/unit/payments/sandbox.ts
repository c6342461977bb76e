import { env } from "cloudflare:workers";
import type { AuthorizeRequest } from "../../../src/providers/payments/gateway";
import { SandboxGateway, type SandboxGatewayOptions } from "../../../src/providers/payments/sandbox-gateway";
import { sandboxLedger, sandboxPayouts, shardStub } from "../../../src/providers/payments/sandbox-shards";

/**
 * A gateway over a sandbox account of its own, so tests never see each other's records. Four shards
 * unless a test says otherwise: enough to spread orders, few enough that a whole-account ledger is cheap.
 */
export function sandbox(options: SandboxGatewayOptions = {}) {
  const instance = options.instance ?? `test-${crypto.randomUUID()}`;
  const shards = options.shards ?? 4;
  const account = { timeoutMs: 2000, ...options, instance, shards };
  return {
    instance,
    shards,
    /** One shard's object, to look inside it. */
    shard: (n: number) => shardStub(env.PAYMENT_SANDBOX, instance, n),
    gateway: new SandboxGateway(env.PAYMENT_SANDBOX, account),
    /** Another client of the same account, e.g. with another timeout. */
    client: (more: SandboxGatewayOptions) => new SandboxGateway(env.PAYMENT_SANDBOX, { ...account, ...more }),
    ledger: (orderId?: string) => sandboxLedger(env.PAYMENT_SANDBOX, { instance, shards }, orderId),
    payouts: (merchantId?: string) => sandboxPayouts(env.PAYMENT_SANDBOX, { instance, shards }, merchantId),
  };
}

let orders = 0;

/** An authorize request for a fresh order, keyed by the convention `${orderId}:authorize`. */
export function authorizeRequest(overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  const orderId = overrides.orderId ?? `ord_${++orders}`;
  return {
    idempotencyKey: `${orderId}:authorize`,
    orderId,
    amount: 2599,
    currency: "USD",
    paymentMethod: "pm_card_visa",
    ...overrides,
  };
}

/** Milliseconds `work` took to settle, and how it settled. */
export async function timed<T>(work: Promise<T>) {
  const start = Date.now();
  const outcome = await work.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return { ...outcome, ms: Date.now() - start };
}
