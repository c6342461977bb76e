/**
 * The time-to-ready baseline: the sales report's work with nothing around it. `POST /build` reads the
 * merchant's sales lines with the SQL crossdock's sales builder runs (drizzle's text, the same keyset
 * pages of 2,000 rows), writes the same CSV with the same encoder through the same multipart writer to
 * the same bucket, and answers when the object is complete. No queue, relay, dedup lease, job or report
 * row, progress writes, ORM, or email: what crossdock takes beyond this is the price of those.
 */

import { salesReport } from "../../src/consumers/reports/builders/sales";
import { csvLine, isoOrEmpty, minorToDecimal } from "../../src/flows/reports/csv";
import { MultipartWriter } from "../../src/platform/files/multipart-writer";

interface BareEnv {
  DB: D1Database;
  FILES: R2Bucket;
}

interface Line {
  order_id: string;
  line_no: number;
  product_id: string;
  sku: string | null;
  title: string;
  quantity: number;
  unit_price_minor: number;
  amount_minor: number;
  currency: string;
  confirmed_at: number;
  refunded_at: number | null;
  status: string;
}

const COLUMNS =
  '"order_id", "line_no", "merchant_id", "product_id", "sku", "title", "quantity", "unit_price_minor", ' +
  '"amount_minor", "discount_minor", "tax_minor", "currency", "confirmed_at", "refunded_at", "status", "updated_at"';
const RANGE = `"sales_lines"."merchant_id" = ? and "sales_lines"."confirmed_at" >= ? and "sales_lines"."confirmed_at" < ?`;
const ORDER =
  'order by "sales_lines"."confirmed_at" asc, "sales_lines"."order_id" asc, "sales_lines"."line_no" asc limit ?';
const FIRST = `select ${COLUMNS} from "sales_lines" where (${RANGE}) ${ORDER}`;
const NEXT =
  `select ${COLUMNS} from "sales_lines" where ((${RANGE}) and ("sales_lines"."confirmed_at" > ? or ` +
  `("sales_lines"."confirmed_at" = ? and ("sales_lines"."order_id", "sales_lines"."line_no") > (?, ?)))) ${ORDER}`;
const PAGE = 2_000;

export default {
  async fetch(request, env) {
    const { ownerId, fromMs, toMs, key } = (await request.json()) as {
      ownerId: string;
      fromMs: number;
      toMs: number;
      key: string;
    };
    const started = Date.now();
    const out = await MultipartWriter.open(env.FILES, key, { contentType: "text/csv; charset=utf-8" });
    await out.write(csvLine(salesReport.header));
    let rows = 0;
    let last: Line | null = null;
    for (;;) {
      const stmt: D1PreparedStatement =
        last === null
          ? env.DB.prepare(FIRST).bind(ownerId, fromMs, toMs, PAGE)
          : env.DB.prepare(NEXT).bind(
              ownerId,
              fromMs,
              toMs,
              last.confirmed_at,
              last.confirmed_at,
              last.order_id,
              last.line_no,
              PAGE,
            );
      const { results } = await stmt.all<Line>();
      if (results.length === 0) break;
      await out.write(
        results
          .map((r) =>
            csvLine([
              r.order_id,
              isoOrEmpty(r.confirmed_at),
              r.product_id,
              r.sku,
              r.title,
              r.quantity,
              minorToDecimal(r.unit_price_minor, r.currency),
              minorToDecimal(r.amount_minor, r.currency),
              r.currency,
              r.status,
              isoOrEmpty(r.refunded_at),
            ]),
          )
          .join(""),
      );
      rows += results.length;
      if (results.length < PAGE) break;
      last = results[results.length - 1]!;
    }
    const { bytes, parts } = await out.finish();
    return Response.json({ rows, bytes, parts, ms: Date.now() - started });
  },
} satisfies ExportedHandler<BareEnv>;
