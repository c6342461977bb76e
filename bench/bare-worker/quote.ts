/**
 * NOT WIRED YET: once src/domain/pricing and POST /v1/quotes are merged, add
 * `"POST /v1/quotes": createQuote` to the routes in ./index.ts and drop this file from tsconfig's
 * exclude list.
 *
 * The baseline must make the same D1 calls as crossdock's quote handler, in the same order, and call the
 * same pure `priceQuote`. The statements below are placeholders written before that handler existed:
 * replace each with `.toSQL()` of the query builder the handler uses (export the builders from src/, as
 * src/db/queries/session-principal.ts does for the session lookup), and match its D1 methods
 * (`all`/`raw`/`first`/`run`/`batch`).
 */
import { priceQuote } from "../../src/domain/pricing";
import { type BareHandler, problem } from "./handler";
import { sessionUser } from "./me";

interface QuoteRequest {
  items: { productId: string; quantity: number }[];
  shipToCountry: string;
  promoCode?: string;
}

/** POST /v1/quotes without a framework: authenticate, read products and promotion, price, insert. */
export const createQuote: BareHandler = async (request, env) => {
  const user = await sessionUser(request, env);
  if (!user) return problem(401, "The token is missing, invalid, revoked or expired.");
  const body = (await request.json()) as QuoteRequest;
  const ids = body.items.map((item) => item.productId);
  const { results: products } = await env.DB.prepare(
    `SELECT * FROM products WHERE id IN (${ids.map(() => "?").join(", ")})`,
  )
    .bind(...ids)
    .all();
  const promotion = body.promoCode
    ? await env.DB.prepare("SELECT * FROM promotions WHERE code = ?").bind(body.promoCode).first()
    : null;
  const now = Date.now();
  const quote = priceQuote({
    items: body.items,
    products,
    promotion,
    shipToCountry: body.shipToCountry,
    now,
  });
  await env.DB.prepare(
    `INSERT INTO quotes (id, user_id, currency, ship_to_country, promo_code, lines, subtotal_minor,
       discount_minor, shipping_minor, tax_minor, total_minor, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(
      quote.id,
      user[0],
      quote.currency,
      body.shipToCountry,
      body.promoCode ?? null,
      JSON.stringify(quote.lines),
      quote.subtotalMinor,
      quote.discountMinor,
      quote.shippingMinor,
      quote.taxMinor,
      quote.totalMinor,
      now,
      quote.expiresAt,
    )
    .run();
  return Response.json(quote, { status: 201 });
};
