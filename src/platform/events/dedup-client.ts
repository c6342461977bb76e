import { fnv1a } from "../encoding/fnv1a";
import type { ClaimDecision } from "./dedup-claim";

/** Consumer dedup keys are spread over this many objects per consumer, so no single object is hot. */
const SHARDS = 16;

/**
 * A handle on the dedup store for one key. `scope` separates users of the store (a consumer's name,
 * or `http:<caller>` for Idempotency-Key); keys of one scope are sharded over a few objects.
 *
 * @example
 * const key = dedupKey(env, "email", event.id);
 * const claim = await key.claim({ leaseMs: 30_000, ttlMs, now });
 */
export function dedupKey(env: Pick<Env, "DEDUP_STORE">, scope: string, key: string, shards = SHARDS) {
  const stub = env.DEDUP_STORE.get(env.DEDUP_STORE.idFromName(`${scope}#${fnv1a(key) % shards}`));
  const full = `${scope}:${key}`;
  return {
    claim: (o: {
      leaseMs: number;
      ttlMs: number;
      now: number;
      fingerprint?: string | null;
    }): Promise<ClaimDecision> =>
      stub.claim({
        key: full,
        fingerprint: o.fingerprint ?? null,
        now: o.now,
        leaseMs: o.leaseMs,
        ttlMs: o.ttlMs,
      }),
    complete: (result: string | null, now: number, ttlMs: number) => stub.complete(full, result, now, ttlMs),
    /** Extends a live claim's lease; the new `leaseUntil`, or null when the claim was lost. */
    renew: (leaseUntil: number, now: number, leaseMs: number) => stub.renew(full, leaseUntil, now, leaseMs),
    /** `leaseUntil` from the claim being given up (`claim.record.leaseUntil`, or its last renewal). */
    release: (leaseUntil: number) => stub.release(full, leaseUntil),
  };
}
