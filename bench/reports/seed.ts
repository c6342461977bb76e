import { newSessionToken } from "../../src/flows/accounts/tokens";
import { sha256Hex } from "../../src/platform/encoding/sha256";
import { newId } from "../../src/platform/ids";

/** The seeded merchant: a session token for the API, and the range its sales fall in. */
export interface SeededMerchant {
  id: string;
  token: string;
  from: string;
  to: string;
}

/**
 * One merchant with a session, and `orders` confirmed orders of one line each written straight into
 * the sales read model (`sales_lines`) by one recursive SQL statement: spread evenly over the 365 days
 * from `from`, 50 products, quantities 1–3, every 20th line refunded. Not through checkout: the
 * benchmark is about the report, and 100,000 sagas would take far longer than the thing measured.
 */
export async function seedSales(db: D1Database, orders: number): Promise<SeededMerchant> {
  const now = Date.now();
  const id = newId("usr", now);
  const token = newSessionToken();
  const from = "2025-01-01";
  const to = "2025-12-31";
  const fromMs = Date.parse(`${from}T00:00:00Z`);
  const stepMs = Math.floor((365 * 86_400_000) / orders);
  await db.batch([
    db
      .prepare(
        "INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES (?, ?, 'Bench merchant', 'merchant', NULL, ?)",
      )
      .bind(id, `${id}@bench.crossdock`, now),
    db
      .prepare("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
      .bind(await sha256Hex(token), id, now, now + 86_400_000),
    db
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1)
         INSERT INTO sales_lines (order_id, line_no, merchant_id, product_id, sku, title, quantity, unit_price_minor,
           amount_minor, discount_minor, tax_minor, currency, confirmed_at, refunded_at, status, updated_at)
         SELECT printf('ord_bench%07d', i), 0, ?2, printf('prd_bench%02d', i % 50), printf('SKU-%02d', i % 50),
           'Bench product ' || (i % 50) || ', size ' || (1 + i % 3), 1 + i % 3, 1000 + (i % 50) * 25,
           (1 + i % 3) * (1000 + (i % 50) * 25), 0, 0, 'USD', ?3 + i * ?4,
           CASE WHEN i % 20 = 19 THEN ?3 + i * ?4 + 86400000 END,
           CASE WHEN i % 20 = 19 THEN 'refunded' ELSE 'confirmed' END, ?5
         FROM n`,
      )
      .bind(orders, id, fromMs, stepMs, now),
  ]);
  return { id, token, from, to };
}
