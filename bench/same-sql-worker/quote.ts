import { env as startupEnv } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import type { Category } from "../../src/flows/catalog/categories";
import type { CatalogProduct } from "../../src/flows/pricing/cart";
import { PricingError } from "../../src/flows/pricing/errors";
import { priceQuote } from "../../src/flows/pricing/price-quote";
import type { Promotion } from "../../src/flows/pricing/promotions";
import {
  insertQuote,
  QUOTE_ROW_SLOTS,
  selectPromotionCandidates,
  selectQuoteProducts,
} from "../../src/flows/pricing/quote-inputs";
import { getDb } from "../../src/platform/db/client";
import { newId } from "../../src/platform/ids";
import { quoteTtlMs, toQuoteRow } from "../../src/routes/pricing/quote-row";
import { problem, type SameSqlHandler } from "./handler";
import { sessionUser } from "./me";
import { jsonWithBookmark, openSession } from "./session";
import { bindNamed, type RenderedStatement, render } from "./statement";

interface QuoteRequest {
  items: { productId: string; quantity: number }[];
  promoCode?: string;
  shipTo: { country: string };
}

// crossdock's own query builders render the SQL at start-up (products: once per number of ids).
const db = getDb(startupEnv.DB);
const PROMOTIONS = render(selectPromotionCandidates(db, sql.placeholder("code")));
const INSERT = render(insertQuote(db, QUOTE_ROW_SLOTS));
const productsByArity = new Map<number, RenderedStatement>();

function productsStatement(count: number): RenderedStatement {
  let s = productsByArity.get(count);
  if (!s) {
    s = render(
      selectQuoteProducts(
        db,
        Array.from({ length: count }, (_, i) => sql.placeholder(String(i))),
      ),
    );
    productsByArity.set(count, s);
  }
  return s;
}

type ProductTuple = [string, string, Category, number, string, number];
type PromotionTuple = [
  string,
  Promotion["kind"],
  number,
  number,
  string | null,
  number,
  number | null,
  number,
];

/**
 * POST /v1/quotes without a framework: the same session lookup, the same two reads in parallel
 * (`raw()`, as drizzle's select makes them), the same pure `priceQuote`, the same row and INSERT
 * (`run()`) on the same D1 session (first query on the primary), and the same JSON and bookmark header
 * as crossdock's `toQuoteResponse` and `d1Session`, built by hand.
 */
export const createQuote: SameSqlHandler = async (request, env) => {
  const user = await sessionUser(request, env);
  if (!user) return problem(401, "The token is missing, invalid, revoked or expired.");
  if (user[3] !== "buyer") return problem(403, "This endpoint is for buyer accounts.");
  const body = (await request.json()) as QuoteRequest;
  const country = body.shipTo.country.toUpperCase();
  const now = Date.now();

  const ids = [...new Set(body.items.map((i) => i.productId))];
  const { promoCode } = body;
  const d1 = openSession(request, env.DB, "first-primary");
  const [productRows, promotionRows] = await Promise.all([
    bindNamed(d1, productsStatement(ids.length), { ...ids }).raw<ProductTuple>(),
    promoCode === undefined ? [] : bindNamed(d1, PROMOTIONS, { code: promoCode }).raw<PromotionTuple>(),
  ]);
  const products = productRows.map(
    ([id, title, category, priceMinor, currency, stock]): CatalogProduct => ({
      id,
      title,
      category,
      priceMinor,
      currency,
      stock,
    }),
  );
  const promotions = promotionRows.map(
    ([code, kind, value, minSubtotalMinor, category, startsAt, expiresAt]): Promotion => ({
      code,
      kind,
      value,
      minSubtotalMinor,
      category,
      startsAt,
      expiresAt,
    }),
  );
  let priced: ReturnType<typeof priceQuote>;
  try {
    priced = priceQuote({
      items: body.items,
      products,
      ...(promoCode !== undefined && { promoCode, promotions }),
      country,
      now,
    });
  } catch (e) {
    if (e instanceof PricingError) return problem(422, e.problem.kind);
    throw e;
  }
  const row = toQuoteRow(priced, {
    id: newId("qt", now),
    userId: user[0],
    country,
    now,
    ttlMs: quoteTtlMs(env),
  });
  await bindNamed(d1, INSERT, { ...row, lines: JSON.stringify(row.lines) }).run();
  return jsonWithBookmark(
    {
      id: row.id,
      lines: row.lines,
      subtotal: row.subtotalMinor,
      discount: row.discountMinor,
      shipping: row.shippingMinor,
      tax: row.taxMinor,
      total: row.totalMinor,
      currency: row.currency,
      expiresAt: new Date(row.expiresAt).toISOString(),
      promoCode: row.promoCode,
      shipTo: { country: row.shipToCountry },
    },
    d1,
  );
};
