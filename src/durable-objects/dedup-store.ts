import { DurableObject } from "cloudflare:workers";
import { metered } from "../platform/costs/meter";
import { meteredEnv, meteredSql } from "../platform/costs/metered-env";
import {
  type ClaimDecision,
  type ClaimRequest,
  completeRecord,
  type DedupRecord,
  decideClaim,
  renewLease,
} from "../platform/events/dedup-claim";

// The dedup keys serve every consumer and route; their own upkeep is the platform's.
const SCOPE = { flow: "platform" };

/** How often expired keys are swept out of storage. */
const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Dedup keys with leases, in the object's SQLite storage. A thin shell: decisions are made by
 * `decideClaim` (src/platform/events/dedup-claim.ts); this class loads the record, stores the outcome and
 * prunes expired keys on an alarm. Callers spread keys over instances by name (see dedup-client.ts).
 */
export class DedupStore extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, meteredEnv(env, SCOPE));
    this.sql = meteredSql(ctx.storage.sql, SCOPE);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS dedup_keys (
      key TEXT PRIMARY KEY, state TEXT NOT NULL, fingerprint TEXT, lease_until INTEGER NOT NULL,
      expires_at INTEGER NOT NULL, result TEXT)`);
  }

  private load(key: string): DedupRecord | null {
    const row = this.sql
      .exec<{
        key: string;
        state: "in-flight" | "done";
        fingerprint: string | null;
        lease_until: number;
        expires_at: number;
        result: string | null;
      }>("SELECT * FROM dedup_keys WHERE key = ?", key)
      .toArray()[0];
    return row
      ? {
          key: row.key,
          state: row.state,
          fingerprint: row.fingerprint,
          leaseUntil: row.lease_until,
          expiresAt: row.expires_at,
          result: row.result,
        }
      : null;
  }

  private save(r: DedupRecord): void {
    this.sql.exec(
      "INSERT OR REPLACE INTO dedup_keys (key, state, fingerprint, lease_until, expires_at, result) VALUES (?, ?, ?, ?, ?, ?)",
      r.key,
      r.state,
      r.fingerprint,
      r.leaseUntil,
      r.expiresAt,
      r.result,
    );
  }

  /** Claims a key (see decideClaim). Calls on one object run one at a time, so a claim is atomic. */
  async claim(req: ClaimRequest): Promise<ClaimDecision> {
    const decision = decideClaim(this.load(req.key), req);
    if (decision.outcome === "claimed") {
      this.save(decision.record);
      if ((await this.ctx.storage.getAlarm()) === null)
        await this.ctx.storage.setAlarm(req.now + PRUNE_INTERVAL_MS);
    }
    return decision;
  }

  /** Marks the key done, keeping `result` for replay until the key expires. */
  complete(key: string, result: string | null, now: number, ttlMs: number): void {
    const existing = this.load(key);
    if (existing) this.save(completeRecord(existing, result, now, ttlMs));
  }

  /**
   * Extends a live holder's lease (see renewLease): the new `leaseUntil`, its fencing token from now
   * on, or null when the holder lost the key and must stop.
   */
  renew(key: string, leaseUntil: number, now: number, leaseMs: number): number | null {
    const renewed = renewLease(this.load(key), leaseUntil, now, leaseMs);
    if (renewed) this.save(renewed);
    return renewed?.leaseUntil ?? null;
  }

  /**
   * Gives the key up so a retry can claim it at once (the effect did not happen). `leaseUntil` is the
   * holder's claim (its fencing token): a holder whose lease ran out and was taken over cannot release
   * the new holder's lease.
   */
  release(key: string, leaseUntil: number): void {
    this.sql.exec(
      "DELETE FROM dedup_keys WHERE key = ? AND state = 'in-flight' AND lease_until = ?",
      key,
      leaseUntil,
    );
  }

  override async alarm(): Promise<void> {
    await metered(SCOPE, "doRequests", async () => {
      const now = Date.now();
      this.sql.exec("DELETE FROM dedup_keys WHERE expires_at <= ?", now);
      const left = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM dedup_keys").one().n;
      if (left > 0) await this.ctx.storage.setAlarm(now + PRUNE_INTERVAL_MS);
    });
  }
}
