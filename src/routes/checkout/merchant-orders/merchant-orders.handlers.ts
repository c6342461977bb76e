import type { RouteHandler, z } from "@hono/zod-openapi";
import { and, desc, eq, gte, lt } from "drizzle-orm";
import { merchantOrders } from "../../../flows/checkout/schema";
import { listFingerprint } from "../../../flows/ops/cursor";
import { getDb } from "../../../platform/db/client";
import { NotFoundError, ValidationError } from "../../../platform/errors";
import type { AppEnv } from "../../../platform/http/app-env";
import { principalOf } from "../../../platform/http/principal";
import { afterCursor, iso, type Keyset, toPage } from "../../ops/ops.shared";
import type { getMerchantOrder, listMerchantOrders } from "./merchant-orders.routes";
import type { MerchantOrderSchema } from "./merchant-orders.schemas";

const DAY_MS = 86_400_000;

type DeskRow = typeof merchantOrders.$inferSelect;

function toMerchantOrder(r: DeskRow): z.infer<typeof MerchantOrderSchema> {
  return {
    id: r.orderId,
    status: r.status,
    placedAt: iso(r.placedAt),
    updatedAt: iso(r.updatedAt),
    lines: r.lines.map((l) => ({
      productId: l.productId,
      title: l.title,
      quantity: l.quantity,
      unitPrice: l.unitPriceMinor,
      lineTotal: l.lineTotalMinor,
      currency: r.currency,
    })),
    subtotal: r.subtotalMinor,
    currency: r.currency,
  };
}

/** `[from, to]` UTC days as a half-open epoch-ms interval on placedAt; `from` after `to` is a 400. */
function placedBetween(from: string | undefined, to: string | undefined) {
  // A validated `YYYY-MM-DD` parses as that day's UTC midnight.
  const start = from === undefined ? undefined : Date.parse(from);
  const end = to === undefined ? undefined : Date.parse(to) + DAY_MS;
  if (start !== undefined && end !== undefined && start >= end)
    throw new ValidationError([{ field: "from", in: "query", message: "must not be after to" }]);
  return and(
    start === undefined ? undefined : gte(merchantOrders.placedAt, start),
    end === undefined ? undefined : lt(merchantOrders.placedAt, end),
  );
}

/** The caller's desk: newest placed first, keyset on (placed_at, order_id) within their rows. */
export const listMerchantOrdersHandler: RouteHandler<typeof listMerchantOrders, AppEnv> = async (c) => {
  const { limit, cursor, ...filters } = c.req.valid("query");
  const { userId } = principalOf(c);
  const keyset: Keyset = {
    time: merchantOrders.placedAt,
    id: merchantOrders.orderId,
    direction: "desc",
    fingerprint: listFingerprint("merchant-orders", { merchant: userId, ...filters }),
  };
  const rows = await getDb(c.env.DB)
    .select()
    .from(merchantOrders)
    .where(
      and(
        eq(merchantOrders.merchantId, userId),
        filters.status === undefined ? undefined : eq(merchantOrders.status, filters.status),
        placedBetween(filters.from, filters.to),
        afterCursor(keyset, cursor),
      ),
    )
    .orderBy(desc(merchantOrders.placedAt), desc(merchantOrders.orderId))
    .limit(limit + 1);
  const page = toPage(rows, limit, (r) => [r.placedAt, r.orderId], keyset.fingerprint);
  return c.json({ items: page.items.map(toMerchantOrder), nextCursor: page.nextCursor }, 200);
};

/** One order as the caller's desk holds it; not theirs (or unknown) is the same 404. */
export const getMerchantOrderHandler: RouteHandler<typeof getMerchantOrder, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { userId } = principalOf(c);
  const row = await getDb(c.env.DB)
    .select()
    .from(merchantOrders)
    .where(and(eq(merchantOrders.orderId, id), eq(merchantOrders.merchantId, userId)))
    .get();
  if (!row) throw new NotFoundError("order", id);
  return c.json(toMerchantOrder(row), 200);
};
