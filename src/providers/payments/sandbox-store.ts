import type { SandboxResult } from "./sandbox-protocol";
import type {
  AuthorizationRecord,
  AuthorizationStatus,
  CaptureRecord,
  KeyRecord,
  RefundRecord,
} from "./sandbox-rules";

type AuthorizationRow = {
  id: string;
  order_id: string;
  amount: number;
  currency: string;
  payment_method: string;
  status: AuthorizationStatus;
};
type CaptureRow = { id: string; authorization_id: string; amount: number; currency: string };
type RefundRow = { id: string; capture_id: string; amount: number; currency: string };

const toAuthorization = (r: AuthorizationRow): AuthorizationRecord => ({
  id: r.id,
  orderId: r.order_id,
  amount: r.amount,
  currency: r.currency,
  paymentMethod: r.payment_method,
  status: r.status,
});
const toCapture = (r: CaptureRow): CaptureRecord => ({
  id: r.id,
  authorizationId: r.authorization_id,
  amount: r.amount,
  currency: r.currency,
});
const toRefund = (r: RefundRow): RefundRecord => ({
  id: r.id,
  captureId: r.capture_id,
  amount: r.amount,
  currency: r.currency,
});

export interface SandboxLedger {
  authorizations: AuthorizationRecord[];
  captures: CaptureRecord[];
  refunds: RefundRecord[];
}

/** The sandbox provider's records in its Durable Object's SQLite storage. */
export class SandboxStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`
      CREATE TABLE IF NOT EXISTS authorizations (id TEXT PRIMARY KEY, order_id TEXT NOT NULL,
        amount INTEGER NOT NULL, currency TEXT NOT NULL, payment_method TEXT NOT NULL, status TEXT NOT NULL,
        authorize_key TEXT UNIQUE);
      CREATE TABLE IF NOT EXISTS captures (id TEXT PRIMARY KEY, authorization_id TEXT NOT NULL UNIQUE,
        amount INTEGER NOT NULL, currency TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS refunds (id TEXT PRIMARY KEY, capture_id TEXT NOT NULL,
        amount INTEGER NOT NULL, currency TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS idempotency_keys (key TEXT PRIMARY KEY, operation TEXT NOT NULL,
        fingerprint TEXT NOT NULL, outcome TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS authorize_attempts (key TEXT PRIMARY KEY, attempts INTEGER NOT NULL);`);
  }

  /** An authorization by its id, or by the idempotency key of the authorize that made it. */
  authorization(by: "id" | "authorize_key", value: string): AuthorizationRecord | null {
    const row = this.sql
      .exec<AuthorizationRow>(`SELECT * FROM authorizations WHERE ${by} = ?`, value)
      .toArray()[0];
    return row ? toAuthorization(row) : null;
  }

  addAuthorization(r: AuthorizationRecord, authorizeKey: string): void {
    this.sql.exec(
      "INSERT INTO authorizations (id, order_id, amount, currency, payment_method, status, authorize_key) VALUES (?, ?, ?, ?, ?, ?, ?)",
      r.id,
      r.orderId,
      r.amount,
      r.currency,
      r.paymentMethod,
      r.status,
      authorizeKey,
    );
  }

  setStatus(authorizationId: string, status: AuthorizationStatus): void {
    this.sql.exec("UPDATE authorizations SET status = ? WHERE id = ?", status, authorizationId);
  }

  capture(id: string): CaptureRecord | null {
    const row = this.sql.exec<CaptureRow>("SELECT * FROM captures WHERE id = ?", id).toArray()[0];
    return row ? toCapture(row) : null;
  }

  addCapture(c: CaptureRecord): void {
    this.sql.exec("INSERT INTO captures VALUES (?, ?, ?, ?)", c.id, c.authorizationId, c.amount, c.currency);
    this.setStatus(c.authorizationId, "captured");
  }

  refundedSoFar(captureId: string): number {
    return this.sql
      .exec<{ n: number }>(
        "SELECT COALESCE(SUM(amount), 0) AS n FROM refunds WHERE capture_id = ?",
        captureId,
      )
      .one().n;
  }

  addRefund(r: RefundRecord): void {
    this.sql.exec("INSERT INTO refunds VALUES (?, ?, ?, ?)", r.id, r.captureId, r.amount, r.currency);
  }

  key(key: string): KeyRecord | null {
    const row = this.sql
      .exec<{ operation: string; fingerprint: string; outcome: string }>(
        "SELECT operation, fingerprint, outcome FROM idempotency_keys WHERE key = ?",
        key,
      )
      .toArray()[0];
    return row
      ? { operation: row.operation, fingerprint: row.fingerprint, outcome: JSON.parse(row.outcome) }
      : null;
  }

  storeKey(key: string, operation: string, fingerprint: string, outcome: SandboxResult<unknown>): void {
    this.sql.exec(
      "INSERT INTO idempotency_keys VALUES (?, ?, ?, ?)",
      key,
      operation,
      fingerprint,
      JSON.stringify(outcome),
    );
  }

  /** Counts one more authorize attempt under `key` and returns the count, this one included. */
  countAttempt(key: string): number {
    return this.sql
      .exec<{ attempts: number }>(
        `INSERT INTO authorize_attempts VALUES (?, 1)
         ON CONFLICT (key) DO UPDATE SET attempts = attempts + 1 RETURNING attempts`,
        key,
      )
      .one().attempts;
  }

  /** Every record, or one order's, oldest first. */
  ledger(orderId: string | null): SandboxLedger {
    const of = "a.order_id = ?1 OR ?1 IS NULL";
    return {
      authorizations: this.sql
        .exec<AuthorizationRow>(`SELECT a.* FROM authorizations a WHERE ${of} ORDER BY a.rowid`, orderId)
        .toArray()
        .map(toAuthorization),
      captures: this.sql
        .exec<CaptureRow>(
          `SELECT c.* FROM captures c JOIN authorizations a ON a.id = c.authorization_id WHERE ${of} ORDER BY c.rowid`,
          orderId,
        )
        .toArray()
        .map(toCapture),
      refunds: this.sql
        .exec<RefundRow>(
          `SELECT r.* FROM refunds r JOIN captures c ON c.id = r.capture_id
           JOIN authorizations a ON a.id = c.authorization_id WHERE ${of} ORDER BY r.rowid`,
          orderId,
        )
        .toArray()
        .map(toRefund),
    };
  }
}
