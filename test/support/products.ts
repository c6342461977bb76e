import { env } from "cloudflare:workers";
import type { ProductRow } from "../../src/flows/catalog/schema";
import { newId } from "../../src/platform/ids";

export type TestProduct = Omit<ProductRow, "seq">;

/**
 * A word no other test's data contains, so a search for it sees only this test's products even when
 * files share a database. Letters only: it must stay one FTS token.
 */
export function uniqueWord(): string {
  const letters = crypto.getRandomValues(new Uint8Array(10));
  // Consonants only, never s or y: the Porter stemmer (products_fts) changes no prefix of such a word,
  // neither in the index nor in a prefix query. Random letters failed a prefix search now and then,
  // when the query's prefix ended in a suffix the stemmer rewrites ("…s", "…y").
  const alphabet = "bcdfghjklmnpqrtvwxz";
  return `zq${Array.from(letters, (b) => alphabet[b % alphabet.length]).join("")}`;
}

/** Inserts products straight into D1, in order (so seq follows the array); the FTS triggers index them. */
export async function insertProducts(
  merchantId: string,
  products: (Partial<TestProduct> & Pick<TestProduct, "title">)[],
): Promise<TestProduct[]> {
  const now = Date.now();
  const rows = products.map((p, i) => ({
    id: newId("prd"),
    merchantId,
    sku: `SKU-${crypto.randomUUID()}`,
    description: "A product made for tests.",
    category: "home" as const,
    priceMinor: 1000,
    currency: "USD",
    stock: 10,
    createdAt: now - i,
    updatedAt: now - i,
    ...p,
  }));
  await env.DB.batch(
    rows.map((r) =>
      env.DB.prepare(
        `INSERT INTO products (id, merchant_id, sku, title, description, category, price_minor, currency, stock, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).bind(
        r.id,
        r.merchantId,
        r.sku,
        r.title,
        r.description,
        r.category,
        r.priceMinor,
        r.currency,
        r.stock,
        r.createdAt,
        r.updatedAt,
      ),
    ),
  );
  return rows;
}
