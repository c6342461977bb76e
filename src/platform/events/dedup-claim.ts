/**
 * Decisions of the dedup store, as pure functions: given what is recorded for a key and a new claim,
 * what happens. Used for consumer effects outside D1 and for HTTP Idempotency-Key alike.
 *
 * A claim takes a lease. The holder finishes with `complete` (the key is then done until it expires)
 * or gives up with `release`; while it works it may `renewLease`, so a short lease covers a long
 * effect. A holder that crashes leaves its lease to run out; the next claim then takes the key over
 * and is told so (`reclaimed`), so a possible repeat of the effect is never silent.
 */
export interface DedupRecord {
  key: string;
  state: "in-flight" | "done";
  /** What the claim was for (e.g. a hash of the request body); a different one under the same key is refused. */
  fingerprint: string | null;
  leaseUntil: number;
  expiresAt: number;
  /** What the completed effect produced, replayed to later claims (e.g. a stored HTTP response). */
  result: string | null;
}

export interface ClaimRequest {
  key: string;
  fingerprint: string | null;
  now: number;
  leaseMs: number;
  ttlMs: number;
}

export type ClaimDecision =
  | { outcome: "claimed"; reclaimed: boolean; record: DedupRecord }
  | { outcome: "done"; result: string | null }
  | { outcome: "in-flight"; retryAfterMs: number }
  | { outcome: "mismatch" };

export function decideClaim(existing: DedupRecord | null, req: ClaimRequest): ClaimDecision {
  const fresh = (): DedupRecord => ({
    key: req.key,
    state: "in-flight",
    fingerprint: req.fingerprint,
    leaseUntil: req.now + req.leaseMs,
    expiresAt: req.now + req.ttlMs,
    result: null,
  });
  if (!existing || existing.expiresAt <= req.now)
    return { outcome: "claimed", reclaimed: false, record: fresh() };
  if (existing.fingerprint !== null && req.fingerprint !== null && existing.fingerprint !== req.fingerprint) {
    return { outcome: "mismatch" };
  }
  switch (existing.state) {
    case "done":
      return { outcome: "done", result: existing.result };
    case "in-flight":
      if (existing.leaseUntil > req.now)
        return { outcome: "in-flight", retryAfterMs: existing.leaseUntil - req.now };
      return { outcome: "claimed", reclaimed: true, record: fresh() };
    default: {
      const unreachable: never = existing.state;
      throw new Error(`unknown dedup state ${String(unreachable)}`);
    }
  }
}

/** The record after the holder finished: done, with its result, kept for the dedup window. */
export function completeRecord(
  existing: DedupRecord,
  result: string | null,
  now: number,
  ttlMs: number,
): DedupRecord {
  return { ...existing, state: "done", result, leaseUntil: now, expiresAt: now + ttlMs };
}

/**
 * The record after its holder, still alive, extended its lease to `now + leaseMs` (never shortened);
 * null when `leaseUntil` — the holder's fencing token, from its claim or its last renewal — no longer
 * names the record's lease: the key was completed, released, or taken over by a later claim. A holder
 * late to renew whose key nobody claimed meanwhile still holds it.
 *
 * @example
 * const renewed = renewLease(load(key), held.leaseUntil, now, 10_000); // null: stop, the key is lost
 */
export function renewLease(
  existing: DedupRecord | null,
  leaseUntil: number,
  now: number,
  leaseMs: number,
): DedupRecord | null {
  if (existing?.state !== "in-flight" || existing.leaseUntil !== leaseUntil) return null;
  return { ...existing, leaseUntil: Math.max(leaseUntil, now + leaseMs) };
}
