import { codePointOrder } from "../../platform/code-point-order";
import { fnv1a } from "../../platform/encoding/fnv1a";
import type { Payout } from "./gateway";
import type { SandboxLedger } from "./sandbox-store";

/**
 * How many PaymentSandbox objects one sandbox account is spread over. One object answering every order
 * was a bottleneck: under a sustained stream of calls its timers (pm_card_slow's delay) fell seconds
 * behind, so a 1 s card became a 5 s timeout. Changing the count moves orders to other shards, so an
 * order placed before the change can no longer be voided by its authorize request: keep it fixed.
 */
export const DEFAULT_SANDBOX_SHARDS = 64;

/**
 * The shard that holds a key's records, by a stable hash (FNV-1a): the order id for an order's
 * payments, the merchant id for a merchant's payouts.
 */
export const shardForKey = (key: string, shards: number): number => fnv1a(key) % shards;

/**
 * The shard an id minted by the sandbox names (`auth_17_…`, `cap_17_…`), or null for an id it never
 * minted: that one goes to shard 0, which answers `not_found` like any unknown id.
 */
export function shardOfId(id: string): number | null {
  const match = /^[a-z]+_(\d{1,4})_/.exec(id);
  return match ? Number(match[1]) : null;
}

/** The prefix the sandbox's `newId` gets on `shard`, so each id names the shard that holds it. */
export const shardedPrefix = (kind: "auth" | "cap" | "ref", shard: number) => `${kind}_${shard}`;

/** The Durable Object name of one shard of the account `instance`. */
export const shardName = (instance: string, shard: number) => `${instance}/${shard}`;

type SandboxNamespace = Env["PAYMENT_SANDBOX"];

export function shardStub(namespace: SandboxNamespace, instance: string, shard: number) {
  return namespace.get(namespace.idFromName(shardName(instance, shard)));
}

/**
 * What the account holds, as its dashboard would show it: one order's records come from its shard,
 * the whole account's from every shard, oldest first (ids sort by creation after the shard prefix).
 *
 * @example
 * const { authorizations } = await sandboxLedger(env.PAYMENT_SANDBOX, { instance: "sandbox" }, orderId);
 */
export async function sandboxLedger(
  namespace: SandboxNamespace,
  account: { instance?: string; shards?: number } = {},
  orderId?: string,
): Promise<SandboxLedger> {
  const instance = account.instance ?? "sandbox";
  const shards = account.shards ?? DEFAULT_SANDBOX_SHARDS;
  if (orderId !== undefined)
    return shardStub(namespace, instance, shardForKey(orderId, shards)).ledger(orderId);
  const parts = await Promise.all(
    Array.from({ length: shards }, (_, shard) => shardStub(namespace, instance, shard).ledger()),
  );
  // Stable: records made in the same millisecond keep their shard's (insertion) order.
  const byAge = <T extends { id: string }>(rows: T[]) =>
    rows.sort((a, b) => codePointOrder(msPart(a.id), msPart(b.id)));
  return {
    authorizations: byAge(parts.flatMap((p) => p.authorizations)),
    captures: byAge(parts.flatMap((p) => p.captures)),
    refunds: byAge(parts.flatMap((p) => p.refunds)),
  };
}

/**
 * Payouts as the account's dashboard lists them: one merchant's from their shard, or every shard's.
 *
 * @example
 * const paid = await sandboxPayouts(env.PAYMENT_SANDBOX, {}, merchantId);
 */
export async function sandboxPayouts(
  namespace: SandboxNamespace,
  account: { instance?: string; shards?: number } = {},
  merchantId?: string,
): Promise<Payout[]> {
  const instance = account.instance ?? "sandbox";
  const shards = account.shards ?? DEFAULT_SANDBOX_SHARDS;
  if (merchantId !== undefined)
    return shardStub(namespace, instance, shardForKey(merchantId, shards)).payouts(merchantId);
  const parts = await Promise.all(
    Array.from({ length: shards }, (_, shard) => shardStub(namespace, instance, shard).payouts()),
  );
  return parts.flat();
}

/** The millisecond part of an id (see newId), after its kind and shard. */
const msPart = (id: string) => id.slice(id.lastIndexOf("_") + 1, id.lastIndexOf("_") + 11);
