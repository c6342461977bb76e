import type { RouteHandler, z } from "@hono/zod-openapi";
import { and, desc, eq, lt, or } from "drizzle-orm";
import { z as zod } from "zod";
import { type OrderViewRow, orderViewOf } from "../../../flows/checkout/order-view";
import { orders, orderViews } from "../../../flows/checkout/schema";
import type { Db } from "../../../platform/db/client";
import { sessionDb } from "../../../platform/db/sessions";
import { shardCount, shardFor, shardIndexOf } from "../../../platform/db/shards";
import { decodeOpaque, encodeOpaque } from "../../../platform/encoding/opaque-token";
import { BadRequestError, InvalidCursorError } from "../../../platform/errors";
import type { AppEnv } from "../../../platform/http/app-env";
import { principalOf } from "../../../platform/http/principal";
import { type ConsistencyPoint, parseConsistencyToken } from "./consistency-token";
import type { listOrders } from "./orders.routes";
import type { OrderSummarySchema } from "./orders.schemas";
import { waitForView } from "./wait-for-view";

type Summary = z.infer<typeof OrderSummarySchema>;

/** Statuses a buyer reads as settled; a lagging view must never present one as the order's state. */
const SETTLED = new Set<string>(["confirmed", "cancelled", "refunded"]);

const PROCESSING = "We're processing the latest change to your order";

/** The list's cursor: `[placedAt, id]` of the last order served, newest first. */
const CursorSchema = zod.tuple([zod.number().int().nonnegative(), zod.string().min(1)]);

function parseCursor(cursor: string): [number, string] {
  const keys = decodeOpaque(cursor, CursorSchema);
  if (!keys) throw new InvalidCursorError("malformed");
  return keys;
}

const iso = (ms: number) => new Date(ms).toISOString();

function toSummary(v: OrderViewRow, final: boolean): Summary {
  const masked = !final && SETTLED.has(v.status);
  return {
    id: v.id,
    status: masked ? "processing" : v.status,
    statusMessage: masked ? PROCESSING : v.statusMessage,
    total: { amount: v.totalMinor, currency: v.currency },
    itemCount: v.itemCount,
    placedAt: iso(v.placedAt),
    updatedAt: iso(v.updatedAt),
    final,
  };
}

/** The token's order as the write model knows it, when the list has no row for it yet. */
async function notYetListed(db: Db, point: ConsistencyPoint): Promise<Summary | null> {
  const row = await db.select().from(orders).where(eq(orders.id, point.orderId)).get();
  if (!row) return null;
  return { ...toSummary(orderViewOf(row), false), status: "processing", statusMessage: PROCESSING };
}

/**
 * The buyer's orders from `order_views`. With a consistency token it first waits, briefly, for the
 * view of the token's order to reach the token's version; if it does not, that order is listed with
 * `final: false` and no settled status, and `consistency.caughtUp` is false. The views are read from
 * the buyer's shard (the projection writes them there); the orders themselves from the global database.
 */
export const listOrdersHandler: RouteHandler<typeof listOrders, AppEnv> = async (c) => {
  const { limit, cursor, consistencyToken } = c.req.valid("query");
  const { userId } = principalOf(c);
  const after = cursor === undefined ? null : parseCursor(cursor);
  const point = consistencyToken === undefined ? null : parseConsistencyToken(consistencyToken);
  // A replica at least as recent as the token's write (when it carries a bookmark) or the client's.
  const db = sessionDb(c, point?.bookmark);
  // Shard 0 is the global database: its views are read through the same session. Another shard has
  // its own replicas and bookmarks, which the token does not carry: the wait below covers it instead.
  const views = shardIndexOf(userId, shardCount(c.env)) === 0 ? db : shardFor(c.env, userId);

  let lagging: string | null = null;
  if (point) {
    const owner = await db
      .select({ buyerId: orders.buyerId })
      .from(orders)
      .where(eq(orders.id, point.orderId))
      .get();
    // A token names one of the caller's own orders; anything else was not issued to them.
    if (owner?.buyerId !== userId) {
      throw new BadRequestError("This consistencyToken was not issued to you.", "invalid-consistency-token");
    }
    const caughtUp = await waitForView(views, point);
    if (!caughtUp) lagging = point.orderId;
  }

  const page = await views
    .select()
    .from(orderViews)
    .where(
      and(
        eq(orderViews.buyerId, userId),
        after
          ? or(
              lt(orderViews.placedAt, after[0]),
              and(eq(orderViews.placedAt, after[0]), lt(orderViews.id, after[1])),
            )
          : undefined,
      ),
    )
    .orderBy(desc(orderViews.placedAt), desc(orderViews.id))
    .limit(limit + 1);
  const rows = page.slice(0, limit);
  const items = rows.map((v) => toSummary(v, v.id !== lagging));
  if (point && lagging && after === null && !rows.some((v) => v.id === lagging)) {
    const pending = await notYetListed(db, point);
    // Newest first: a just-placed order belongs at the top of the first page.
    if (pending) items.unshift(pending);
  }
  const last = rows.at(-1);
  const nextCursor = page.length > limit && last ? encodeOpaque([last.placedAt, last.id]) : null;
  return c.json(
    {
      items,
      nextCursor,
      consistency: { caughtUp: lagging === null, pendingOrderIds: lagging ? [lagging] : [] },
    },
    200,
  );
};
