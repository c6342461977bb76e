import type { RouteHandler } from "@hono/zod-openapi";
import { and, eq, sql } from "drizzle-orm";
import { orderDetails, orderSaga } from "../../../durable-objects/checkout/order-saga-client";
import { products } from "../../../flows/catalog/schema";
import { orders } from "../../../flows/checkout/schema";
import { quotes } from "../../../flows/pricing/schema";
import { type Db, getDb } from "../../../platform/db/client";
import { sessionBookmark, sessionDb } from "../../../platform/db/sessions";
import { ConflictError, GoneError, NotFoundError } from "../../../platform/errors";
import { newEvent } from "../../../platform/events/new-event";
import { outboxStatements } from "../../../platform/events/outbox";
import { publishAfterCommit } from "../../../platform/events/publish";
import type { AppEnv } from "../../../platform/http/app-env";
import { lastSeenVersion } from "../../../platform/http/event-stream";
import { principalOf } from "../../../platform/http/principal";
import { requestOrigin } from "../../../platform/http/request-origin";
import { newId } from "../../../platform/ids";
import { QuoteLinesSchema } from "../../pricing/quotes.schemas";
import { consistencyToken } from "./consistency-token";
import { newOrder } from "./order-record";
import { statusUrlOf, toOrderResponse } from "./order-response";
import type { getOrder, placeOrder, streamOrder } from "./orders.routes";

const quoteUsed = (quoteId: string) =>
  new ConflictError(`Quote '${quoteId}' has already been used for an order.`, "quote-already-used", {
    quoteId,
  });

/**
 * Records the order and its `order.placed` in one batch and answers 202: the saga (reached through the
 * order-saga consumer) does the slow work, so this never waits on inventory or payment.
 */
export const placeOrderHandler: RouteHandler<typeof placeOrder, AppEnv> = async (c) => {
  const { quoteId, paymentMethod } = c.req.valid("json");
  const { userId } = principalOf(c);
  const db = sessionDb(c);
  const now = Date.now();

  // One read: the caller's quote (owner in the WHERE clause: someone else's and a missing one are the
  // same 404) with the merchant of each product still sold. A quote already used is left to the
  // orders.quote_id UNIQUE index below, rather than read first.
  const found = await db
    .select({
      quote: quotes,
      merchants: sql<string | null>`(SELECT json_group_object(${products.id}, ${products.merchantId})
        FROM ${products} WHERE ${products.id} IN
          (SELECT json_extract(value, '$.productId') FROM json_each(${quotes.lines})))`,
    })
    .from(quotes)
    .where(and(eq(quotes.id, quoteId), eq(quotes.userId, userId)))
    .get();
  if (!found) throw new NotFoundError("quote", quoteId);
  const { quote } = found;
  if (quote.expiresAt <= now) {
    throw new GoneError(
      `Quote '${quoteId}' expired at ${new Date(quote.expiresAt).toISOString()}; request a new quote.`,
      "quote-expired",
    );
  }
  const quoteLines = QuoteLinesSchema.parse(quote.lines);
  const productIds = [...new Set(quoteLines.map((l) => l.productId))];
  const merchantOf = new Map(Object.entries(JSON.parse(found.merchants ?? "{}") as Record<string, string>));
  const gone = productIds.filter((id) => !merchantOf.has(id));
  if (gone.length > 0) {
    throw new ConflictError(
      `${gone.map((id) => `'${id}'`).join(", ")} is no longer sold; request a new quote.`,
      "product-unavailable",
      { productIds: gone },
    );
  }

  const { row, details } = newOrder(
    quote,
    merchantOf,
    {
      id: newId("ord", now),
      buyerId: userId,
      paymentMethod,
      now,
    },
    quoteLines,
  );
  const { causation, record: request } = requestOrigin(c, userId);
  const placed = newEvent("order.placed", row.id, details, causation, "/crossdock/api", now);
  try {
    await db.batch([db.insert(orders).values(row), ...outboxStatements(db, [placed], request, now)]);
  } catch (err) {
    // Two different keys for one quote, racing: the UNIQUE index lets exactly one of them in.
    if (String((err as Error).message).includes("orders.quote_id")) throw quoteUsed(quoteId);
    throw err;
  }
  c.get("log").info("orders.placed", { orderId: row.id, quoteId, eventId: placed.id });
  publishAfterCommit(c, [placed]);

  const statusUrl = statusUrlOf(row.id);
  return c.json(
    {
      id: row.id,
      status: row.status,
      statusUrl,
      consistencyToken: consistencyToken({
        orderId: row.id,
        version: row.version,
        bookmark: sessionBookmark(c),
      }),
    },
    202,
    { Location: statusUrl },
  );
};

/** The caller's order, or 404 for an unknown id and for someone else's alike. */
export async function ownOrder(db: Db, orderId: string, buyerId: string) {
  const row = await db
    .select()
    .from(orders)
    .where(and(eq(orders.id, orderId), eq(orders.buyerId, buyerId)))
    .get();
  if (!row) throw new NotFoundError("order", orderId);
  return row;
}

export const getOrderHandler: RouteHandler<typeof getOrder, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const row = await ownOrder(sessionDb(c), id, principalOf(c).userId);
  return c.json(toOrderResponse(row), 200);
};

/**
 * The order's Durable Object streams its changes; this checks the caller owns it and passes it through.
 * A saga not started yet (its `order.placed` still queued) is started from the row — `start` is
 * idempotent — so a client that subscribes right after placing gets the stream, not a 404.
 */
export const streamOrderHandler: RouteHandler<typeof streamOrder, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const row = await ownOrder(getDb(c.env.DB), id, principalOf(c).userId);
  const saga = orderSaga(c.env, id);
  const lastSeen = lastSeenVersion(c.req.header("last-event-id"));
  const stream = await saga.stream(lastSeen);
  if (stream.status !== 404) return stream;
  await stream.body?.cancel();
  await saga.start(orderDetails(row));
  return saga.stream(lastSeen);
};
