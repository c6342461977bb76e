import type { Payout, PayoutRequest } from "./gateway";
import { fail, type SandboxResult } from "./sandbox-protocol";

/**
 * The sandbox provider's payouts to merchants, kept apart from the card records (their own table and
 * rule) so the PaymentSandbox only gains one operation. Idempotent through the sandbox's shared keys.
 */
export const payoutFingerprint = (r: PayoutRequest) => JSON.stringify([r.merchantId, r.amount, r.currency]);

/** A valid request pays at once; an invalid one is refused (and the refusal replayed under its key). */
export function decidePayout(req: PayoutRequest, id: string): SandboxResult<Payout> {
  if (!req.merchantId) return fail("rejected", "invalid_request", "merchantId is required.");
  if (!Number.isSafeInteger(req.amount) || req.amount <= 0)
    return fail("rejected", "invalid_amount", "amount must be a positive integer in minor units.");
  if (!/^[A-Z]{3}$/.test(req.currency))
    return fail("rejected", "invalid_currency", "currency must be an upper-case ISO 4217 code.");
  return {
    ok: true,
    value: { id, merchantId: req.merchantId, status: "paid", amount: req.amount, currency: req.currency },
  };
}

type PayoutRow = { id: string; merchant_id: string; amount: number; currency: string; status: string };

export class PayoutStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS payouts (id TEXT PRIMARY KEY, merchant_id TEXT NOT NULL,
      amount INTEGER NOT NULL, currency TEXT NOT NULL, status TEXT NOT NULL, payout_key TEXT NOT NULL UNIQUE)`);
  }

  add(p: Payout, key: string): void {
    this.sql.exec(
      "INSERT INTO payouts (id, merchant_id, amount, currency, status, payout_key) VALUES (?, ?, ?, ?, ?, ?)",
      p.id,
      p.merchantId,
      p.amount,
      p.currency,
      p.status,
      key,
    );
  }

  /** Every payout, or one merchant's, oldest first. */
  list(merchantId: string | null): Payout[] {
    return this.sql
      .exec<PayoutRow>(
        "SELECT * FROM payouts WHERE merchant_id = ?1 OR ?1 IS NULL ORDER BY rowid",
        merchantId,
      )
      .toArray()
      .map((r) => ({
        id: r.id,
        merchantId: r.merchant_id,
        amount: r.amount,
        currency: r.currency,
        status: r.status as Payout["status"],
      }));
  }
}
