import { env } from "cloudflare:workers";
import type { PromotionRow } from "../../src/flows/catalog/schema";
import { insertProducts, type TestProduct } from "./products";

/**
 * Inserts one product straight into D1, owned by `merchantId` (see insertProducts). Tests of features
 * that read the catalog use this instead of the catalog API, so they depend only on the table.
 *
 * @example
 * const mug = await insertProduct(merchant.id, { priceMinor: 1250, stock: 3 });
 */
export async function insertProduct(
  merchantId: string,
  overrides: Partial<Omit<TestProduct, "merchantId">> = {},
): Promise<TestProduct> {
  const [row] = await insertProducts(merchantId, [
    { title: "A test product", category: "kitchen", stock: 100, ...overrides },
  ]);
  return row!;
}

/**
 * Inserts a promotion; the code gets a random suffix unless given, so tests never collide on the key.
 *
 * @example
 * const promo = await insertPromotion({ kind: "fixed", value: 500 });
 */
export async function insertPromotion(overrides: Partial<PromotionRow> = {}): Promise<PromotionRow> {
  const now = Date.now();
  const row: PromotionRow = {
    code: `TEST${crypto.randomUUID().slice(0, 8).toUpperCase()}`,
    kind: "percentage",
    value: 1000,
    minSubtotalMinor: 0,
    category: null,
    startsAt: now - 86_400_000,
    expiresAt: null,
    createdAt: now,
    ...overrides,
  };
  await env.DB.prepare(
    `INSERT INTO promotions (code, kind, value, min_subtotal_minor, category, starts_at, expires_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(
      row.code,
      row.kind,
      row.value,
      row.minSubtotalMinor,
      row.category,
      row.startsAt,
      row.expiresAt,
      row.createdAt,
    )
    .run();
  return row;
}
