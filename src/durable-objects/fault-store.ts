import { DurableObject } from "cloudflare:workers";
import { meteredEnv, meteredSql } from "../platform/costs/metered-env";
import {
  ENDED_FAULTS_KEPT_MS,
  type FaultSpec,
  type FaultStoreApi,
  isActive,
  listed,
  type StoredFault,
} from "../platform/faults/model";

// Game-day tooling, billed to the platform.
const SCOPE = { flow: "platform" };

interface Row extends Record<string, SqlStorageValue> {
  id: string;
  spec: string;
  created_at: number;
  expires_at: number;
  cleared_at: number | null;
  injected: number;
}

const toFault = (r: Row): StoredFault => ({
  ...(JSON.parse(r.spec) as FaultSpec),
  id: r.id,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  clearedAt: r.cleared_at,
  injected: r.injected,
});

/** What the row keeps as `spec`: the fault minus the columns of its own. */
function specOf(f: StoredFault): FaultSpec {
  const { id: _id, createdAt: _c, expiresAt: _e, clearedAt: _cl, injected: _i, ...spec } = f;
  return spec;
}

/**
 * The faults injected for a game day, in one instance (`idFromName("faults")`) so every isolate sees
 * the same ones. A thin shell over its SQLite storage: which faults are active, listed or apply to
 * whom is decided in src/platform/faults/model.ts, with the time the caller passes in (no timer, no
 * alarm: a fault expires by being read after its `expiresAt`). Ended faults are kept a day for their
 * counts, then pruned when the next fault is set.
 */
export class FaultStore extends DurableObject<Env> implements FaultStoreApi {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, meteredEnv(env, SCOPE));
    this.sql = meteredSql(ctx.storage.sql, SCOPE);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS faults (
      id TEXT PRIMARY KEY, spec TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
      cleared_at INTEGER, injected INTEGER NOT NULL DEFAULT 0)`);
  }

  private all(): StoredFault[] {
    return this.sql.exec<Row>("SELECT * FROM faults").toArray().map(toFault);
  }

  list(now: number): StoredFault[] {
    return listed(this.all(), now);
  }

  active(now: number): StoredFault[] {
    return this.sql
      .exec<Row>("SELECT * FROM faults WHERE cleared_at IS NULL AND expires_at > ?", now)
      .toArray()
      .map(toFault);
  }

  set(fault: StoredFault, now: number): StoredFault {
    this.sql.exec(
      "DELETE FROM faults WHERE min(coalesce(cleared_at, expires_at), expires_at) <= ?",
      now - ENDED_FAULTS_KEPT_MS,
    );
    this.sql.exec(
      "INSERT INTO faults (id, spec, created_at, expires_at, cleared_at, injected) VALUES (?, ?, ?, ?, ?, ?)",
      fault.id,
      JSON.stringify(specOf(fault)),
      fault.createdAt,
      fault.expiresAt,
      fault.clearedAt,
      fault.injected,
    );
    return fault;
  }

  clear(id: string, now: number): StoredFault | null {
    const row = this.sql.exec<Row>("SELECT * FROM faults WHERE id = ?", id).toArray()[0];
    if (!row) return null;
    const fault = toFault(row);
    if (!isActive(fault, now)) return fault;
    this.sql.exec("UPDATE faults SET cleared_at = ? WHERE id = ?", now, id);
    return { ...fault, clearedAt: now };
  }

  clearAll(now: number): number {
    return this.sql.exec(
      "UPDATE faults SET cleared_at = ? WHERE cleared_at IS NULL AND expires_at > ?",
      now,
      now,
    ).rowsWritten;
  }

  recordInjections(counts: Record<string, number>): void {
    for (const [id, n] of Object.entries(counts)) {
      if (n > 0) this.sql.exec("UPDATE faults SET injected = injected + ? WHERE id = ?", n, id);
    }
  }
}
