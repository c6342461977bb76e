/**
 * The import benchmark's baseline: the same rows upserted straight into D1 with the same statement
 * crossdock's applier runs (`upsertProducts`: one INSERT … SELECT over one JSON parameter) and the same
 * chunk size, one D1 batch per chunk, with no R2, no queue, no validation and no bookkeeping.
 * `POST /upsert?merchant=…` with the NDJSON file; answers `{ rows }` once every chunk is committed.
 */

import { upsertProducts } from "../../src/flows/catalog-import/apply-chunk";
import { CHUNK_ROWS } from "../../src/flows/catalog-import/chunks";
import type { ImportProduct } from "../../src/flows/catalog-import/import-row";
import { getDb } from "../../src/platform/db/client";

interface Row {
  sku: string;
  title: string;
  description: string;
  category: ImportProduct["category"];
  price: string;
  stock: number;
}

export default {
  async fetch(request: Request, env: { DB: D1Database }): Promise<Response> {
    const merchantId = new URL(request.url).searchParams.get("merchant") ?? "";
    const db = getDb(env.DB);
    const text = await request.text();
    let chunk: ImportProduct[] = [];
    let rows = 0;
    const flush = async () => {
      const [first, ...rest] = upsertProducts(db, merchantId, chunk, Date.now());
      if (first) await db.batch([first, ...rest]);
      rows += chunk.length;
      chunk = [];
    };
    for (const line of text.split("\n")) {
      if (line === "") continue;
      const r = JSON.parse(line) as Row;
      const [units, cents = "0"] = r.price.split(".");
      chunk.push({ ...r, priceMinor: Number(units) * 100 + Number(cents.padEnd(2, "0")), currency: "USD" });
      if (chunk.length === CHUNK_ROWS) await flush();
    }
    if (chunk.length > 0) await flush();
    return Response.json({ rows });
  },
};
