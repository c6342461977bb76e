import type { RouteHandler } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { PricingError } from "../../flows/pricing/errors";
import { type PricedQuote, priceQuote } from "../../flows/pricing/price-quote";
import { quoteStatements } from "../../flows/pricing/quote-inputs";
import { quotes } from "../../flows/pricing/schema";
import { sessionD1, sessionDb } from "../../platform/db/sessions";
import { NotFoundError } from "../../platform/errors";
import type { AppEnv } from "../../platform/http/app-env";
import { principalOf } from "../../platform/http/principal";
import { newId } from "../../platform/ids";
import { toHttpError } from "./pricing-problems";
import { toQuoteResponse } from "./quote-record";
import { quoteTtlMs, toQuoteRow } from "./quote-row";
import type { createQuote, getQuote } from "./quotes.routes";

export const createQuoteHandler: RouteHandler<typeof createQuote, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const { userId } = principalOf(c);
  const now = Date.now();

  const ids = [...new Set(body.items.map((i) => i.productId))];
  const { promoCode } = body;
  // On the primary (the route's session starts there), so the quote's bookmark covers its insert.
  const d1 = sessionD1(c);
  // Both reads in parallel.
  const [found, candidates] = await Promise.all([
    quoteStatements.products(d1, ids.length).all({ ...ids }),
    promoCode === undefined ? [] : quoteStatements.promotions(d1).all({ code: promoCode }),
  ]);

  let priced: PricedQuote;
  try {
    priced = priceQuote({
      items: body.items,
      products: found,
      ...(promoCode !== undefined && { promoCode, promotions: candidates }),
      country: body.shipTo.country,
      now,
    });
  } catch (e) {
    throw e instanceof PricingError ? toHttpError(e.problem) : e;
  }

  const row = toQuoteRow(priced, {
    id: newId("qt", now),
    userId,
    country: body.shipTo.country,
    now,
    ttlMs: quoteTtlMs(c.env),
  });
  await quoteStatements.insert(d1).run(row);
  return c.json(toQuoteResponse(row), 200);
};

export const getQuoteHandler: RouteHandler<typeof getQuote, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { userId } = principalOf(c);
  // Owner in the WHERE clause: someone else's quote and a missing one are the same 404, so ids leak nothing.
  const row = await sessionDb(c)
    .select()
    .from(quotes)
    .where(and(eq(quotes.id, id), eq(quotes.userId, userId)))
    .get();
  if (!row) throw new NotFoundError("quote", id);
  return c.json(toQuoteResponse(row), 200);
};
