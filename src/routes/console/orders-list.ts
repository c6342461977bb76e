import { and, asc, desc, eq, gte, inArray, type SQL } from "drizzle-orm";
import { z } from "zod";
import { isStuck, MOVING_STATUSES, orderStuckMs } from "../../durable-objects/checkout/resume-stuck-orders";
import { merchantOrders, ORDER_STATUSES, orders } from "../../flows/checkout/schema";
import { afterKeys, type KeysetKeys, listFingerprint } from "../../flows/ops/cursor";
import type { Db } from "../../platform/db/client";
import { decodeOpaque, encodeOpaque } from "../../platform/encoding/opaque-token";
import { InvalidCursorError } from "../../platform/errors";
import type { Keyset } from "../ops/ops.shared";

type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Moving statuses first (where an operator may be needed), then where orders rest. */
export const STATUS_ORDER: readonly OrderStatus[] = [
  "pending",
  "cancelling",
  "refunding",
  "confirmed",
  "cancelled",
  "refunded",
];

/** The list's parts, served in this order: stuck orders, then each status. */
type Segment = "stuck" | OrderStatus;

export type OrderFilters = {
  status?: OrderStatus;
  buyer?: string;
  merchant?: string;
};

/** A form leaves a field empty rather than out: an empty filter is no filter. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

/** The list's query string; anything else in it is refused, so a misspelt filter never lists everything. */
export const OrdersQuery = z.strictObject({
  status: optional(z.enum(ORDER_STATUSES)),
  buyer: optional(z.string().max(128)),
  merchant: optional(z.string().max(128)),
  cursor: optional(z.string().max(512)),
  limit: optional(z.coerce.number().int().min(1).max(100)),
});

const Position = z.strictObject({
  v: z.literal(1),
  s: z.enum(["stuck", ...ORDER_STATUSES]),
  k: z.tuple([z.int().min(0), z.string().min(1)]),
  /** When the first page was read: "stuck" is judged against it on every page, so no order moves between parts mid-walk. */
  at: z.int().min(0),
  f: z.string(),
});

export interface ListedOrder {
  id: string;
  buyerId: string;
  status: OrderStatus;
  statusMessage: string;
  totalMinor: number;
  currency: string;
  createdAt: number;
  updatedAt: number;
  /** Its saga stopped moving (see `isStuck`): listed first, oldest first. */
  stuck: boolean;
}

const COLUMNS = {
  id: orders.id,
  buyerId: orders.buyerId,
  status: orders.status,
  statusMessage: orders.statusMessage,
  totalMinor: orders.totalMinor,
  currency: orders.currency,
  createdAt: orders.createdAt,
  updatedAt: orders.updatedAt,
};

function segmentsFor(filters: OrderFilters): Segment[] {
  const statuses = filters.status ? [filters.status] : STATUS_ORDER;
  const anyMoving = statuses.some((s) => MOVING_STATUSES.includes(s));
  return [...(anyMoving ? (["stuck"] as const) : []), ...statuses];
}

/**
 * A page of orders for operators: stuck ones first (the same test the stuck-order cron applies, oldest
 * first), then every status in STATUS_ORDER, each last changed first. Each part is a keyset walk on
 * `orders_status_updated_idx`; the cursor names the part and the last row served, and the time "stuck"
 * was judged at. The merchant filter reads the merchants' desks (`merchant_orders`, indexed by merchant),
 * so an order shows there once the merchant-orders consumer has filed it, seconds after it is placed.
 *
 * @throws InvalidCursorError for a cursor that is malformed or was issued for other filters.
 */
export async function listOrders(
  db: Db,
  env: Pick<Env, "ORDER_STUCK_SECONDS">,
  filters: OrderFilters,
  page: { limit: number; cursor?: string; now: number },
): Promise<{ items: ListedOrder[]; nextCursor: string | null }> {
  const fingerprint = listFingerprint("console-orders", { ...filters });
  const segments = segmentsFor(filters);
  let start = 0;
  let after: KeysetKeys | undefined;
  let at = page.now;
  if (page.cursor !== undefined) {
    const position = decodeOpaque(page.cursor, Position);
    if (position === null) throw new InvalidCursorError("malformed");
    if (position.f !== fingerprint || !segments.includes(position.s)) throw new InvalidCursorError("foreign");
    start = segments.indexOf(position.s);
    after = position.k;
    at = position.at;
  }

  const shared: (SQL | undefined)[] = [
    filters.buyer === undefined ? undefined : eq(orders.buyerId, filters.buyer),
    filters.merchant === undefined
      ? undefined
      : inArray(
          orders.id,
          db
            .select({ id: merchantOrders.orderId })
            .from(merchantOrders)
            .where(eq(merchantOrders.merchantId, filters.merchant)),
        ),
  ];
  const recentSince = at - orderStuckMs(env);

  const items: ListedOrder[] = [];
  let last: { segment: Segment; keys: KeysetKeys } | null = null;
  let more = false;
  for (let i = start; i < segments.length; i++) {
    const segment = segments[i]!;
    const stuck = segment === "stuck";
    const keyset: Keyset = {
      time: orders.updatedAt,
      id: orders.id,
      direction: stuck ? "asc" : "desc",
      fingerprint,
    };
    const part =
      segment === "stuck"
        ? isStuck(env, at)
        : and(
            eq(orders.status, segment),
            MOVING_STATUSES.includes(segment) ? gte(orders.updatedAt, recentSince) : undefined,
          );
    const need = page.limit - items.length;
    const order = stuck ? [asc(orders.updatedAt), asc(orders.id)] : [desc(orders.updatedAt), desc(orders.id)];
    const rows = await db
      .select(COLUMNS)
      .from(orders)
      .where(and(part, ...shared, i === start && after ? afterKeys(keyset, after) : undefined))
      .orderBy(...order)
      .limit(need + 1);
    const taken = rows.slice(0, need);
    for (const row of taken) items.push({ ...row, stuck });
    const lastRow = taken.at(-1);
    if (lastRow) last = { segment, keys: [lastRow.updatedAt, lastRow.id] };
    if (rows.length > need) {
      more = true;
      break;
    }
  }
  const nextCursor =
    more && last ? encodeOpaque({ v: 1, s: last.segment, k: last.keys, at, f: fingerprint }) : null;
  return { items, nextCursor };
}
