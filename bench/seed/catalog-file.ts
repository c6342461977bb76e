import { streamFor } from "../../scripts/demo-data/prng";
import { demoProduct } from "../../scripts/demo-data/products";

const SEED = 20_261_127;

/**
 * A catalog import file: demo products (deterministic per index and seed) as NDJSON import rows,
 * price in major units. A different seed gives different SKUs, so a second import is new work.
 */
export function catalogFile(rows: number, merchantId: string, seed = SEED): string {
  const now = Date.UTC(2026, 0, 1);
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const p = demoProduct(streamFor(seed, i), i, [merchantId], now);
    const price = `${Math.floor(p.priceMinor / 100)}.${String(p.priceMinor % 100).padStart(2, "0")}`;
    lines.push(
      JSON.stringify({
        sku: p.sku,
        title: p.title,
        description: p.description,
        category: p.category,
        price,
        stock: p.stock,
      }),
    );
  }
  return `${lines.join("\n")}\n`;
}
