/**
 * The catalog for the search and quote scenarios: crossdock's own demo-data generator
 * (scripts/demo-data), on a fixed seed and clock, so every run sees the same N products with the
 * real categories, vocabulary and USD prices the API accepts. Only the batched insert is bench's own.
 */
import { streamFor } from "../../scripts/demo-data/prng";
import { demoProduct } from "../../scripts/demo-data/products";

/** Rows per INSERT: big enough to seed 100,000 products in seconds, small enough for one request. */
const BATCH_ROWS = 500;
const SEED = 1;
/** 2026-01-01T00:00:00Z: product times are fixed, not "now", so runs see identical rows. */
const EPOCH_MS = 1_767_225_600_000;
/** Products with at least this much stock can be quoted in any quantity the quote scenario asks for. */
export const QUOTABLE_STOCK = 10;

export interface SeededCatalog {
  merchantId: string;
  /** Ids of products with at least QUOTABLE_STOCK units, in insertion order. */
  quotableIds: string[];
}

const COLUMNS = [
  "id",
  "merchant_id",
  "sku",
  "title",
  "description",
  "category",
  "price_minor",
  "currency",
  "stock",
  "created_at",
  "updated_at",
] as const;

/**
 * One statement per 500 rows, the rows passed as a JSON array and unpacked by json_each: Miniflare's D1
 * spends milliseconds per statement, so 100,000 single-row INSERTs take minutes and this takes seconds.
 */
const INSERT_ROWS = `INSERT INTO products (${COLUMNS.join(", ")})
  SELECT ${COLUMNS.map((_, i) => `value ->> ${i}`).join(", ")} FROM json_each(?)`;

/** Inserts `count` demo products for `merchantId`; the FTS triggers index each row as it lands. */
export async function seedCatalog(db: D1Database, merchantId: string, count: number): Promise<SeededCatalog> {
  const insert = db.prepare(INSERT_ROWS);
  const catalog: SeededCatalog = { merchantId, quotableIds: [] };
  for (let start = 0; start < count; start += BATCH_ROWS) {
    const rows: unknown[][] = [];
    for (let n = start; n < Math.min(start + BATCH_ROWS, count); n++) {
      const p = demoProduct(streamFor(SEED, n), n, [merchantId], EPOCH_MS);
      rows.push([
        p.id,
        p.merchantId,
        p.sku,
        p.title,
        p.description,
        p.category,
        p.priceMinor,
        p.currency,
        p.stock,
        p.createdAt,
        p.updatedAt,
      ]);
      if (p.stock >= QUOTABLE_STOCK) catalog.quotableIds.push(p.id);
    }
    await insert.bind(JSON.stringify(rows)).run();
  }
  return catalog;
}
