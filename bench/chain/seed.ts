/**
 * What the chain and status harnesses need in D1 before any load: buyers with sessions, an admin (who
 * sets faults), products with ample stock, and one unexpired quote per order to place. Inserted through
 * Miniflare's Node proxy while the worker is quiet (see CrossdockRuntime.queryUrl for why never later).
 */
import { newSessionToken } from "../../src/flows/accounts/tokens";
import { sha256Hex } from "../../src/platform/encoding/sha256";
import { newId } from "../../src/platform/ids";

export interface Account {
  userId: string;
  token: string;
}

/** D1 takes a batch of this many statements comfortably; one huge batch is one huge transaction. */
const BATCH = 500;

async function inBatches(db: D1Database, statements: D1PreparedStatement[]) {
  for (let i = 0; i < statements.length; i += BATCH) await db.batch(statements.slice(i, i + BATCH));
}

/** `count` users of `role`, each with a live session; their bearer tokens are returned. */
export async function seedAccounts(
  db: D1Database,
  role: "buyer" | "merchant" | "admin",
  count: number,
): Promise<Account[]> {
  const now = Date.now();
  const user = db.prepare(
    "INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, NULL, ?)",
  );
  const session = db.prepare(
    "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
  );
  const accounts: Account[] = [];
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < count; i++) {
    const account = { userId: newId("usr", now), token: newSessionToken() };
    accounts.push(account);
    statements.push(
      user.bind(account.userId, `${account.userId}@bench.crossdock`, `Bench ${role} ${i + 1}`, role, now),
      session.bind(await sha256Hex(account.token), account.userId, now, now + 86_400_000),
    );
  }
  await inBatches(db, statements);
  return accounts;
}

export interface Product {
  id: string;
  title: string;
  priceMinor: number;
}

/** `count` products of one merchant (a new one unless given), priced 10.00, with stock no run can exhaust. */
export async function seedProducts(db: D1Database, count: number, seller?: Account): Promise<Product[]> {
  const merchant = seller ?? (await seedAccounts(db, "merchant", 1))[0];
  const now = Date.now();
  const statements: D1PreparedStatement[] = [];
  const products: Product[] = [];
  for (let i = 0; i < count; i++) {
    const product = { id: newId("prd", now), title: `Chain bench product ${i}`, priceMinor: 1000 };
    products.push(product);
    statements.push(
      db
        .prepare(
          `INSERT INTO products (id, merchant_id, sku, title, description, category, price_minor, currency, stock, created_at, updated_at)
           VALUES (?, ?, ?, ?, 'A product for the chain bench.', 'home', ?, 'USD', 100000000, ?, ?)`,
        )
        .bind(
          product.id,
          merchant!.userId,
          `SKU-CHAIN-${i}`,
          product.title,
          product.priceMinor,
          now - i,
          now - i,
        ),
    );
  }
  await inBatches(db, statements);
  return products;
}

/** One unexpired one-line quote per buyer (the i-th buyer buys product i mod products), as POST /v1/quotes prices it. */
export async function seedQuotes(db: D1Database, buyers: readonly Account[], products: readonly Product[]) {
  const now = Date.now();
  const insert = db.prepare(
    `INSERT INTO quotes (id, user_id, currency, ship_to_country, promo_code, lines, subtotal_minor, discount_minor,
       shipping_minor, tax_minor, total_minor, created_at, expires_at)
     VALUES (?, ?, 'USD', 'US', NULL, ?, ?, 0, 500, 0, ?, ?, ?)`,
  );
  const ids: string[] = [];
  const statements = buyers.map((buyer, i) => {
    const p = products[i % products.length]!;
    const line = {
      productId: p.id,
      title: p.title,
      category: "home",
      quantity: 1,
      unitPrice: p.priceMinor,
      lineSubtotal: p.priceMinor,
      discount: 0,
      tax: 0,
      total: p.priceMinor,
    };
    const id = newId("qt", now);
    ids.push(id);
    return insert.bind(
      id,
      buyer.userId,
      JSON.stringify([line]),
      p.priceMinor,
      p.priceMinor + 500,
      now,
      now + 3_600_000,
    );
  });
  await inBatches(db, statements);
  return ids;
}
