import type { RouteHandler } from "@hono/zod-openapi";
import { and, between, eq, inArray, type SQL, sql } from "drizzle-orm";
import { daysBetween, utcDay } from "../../flows/analytics/metrics";
import { productDailyMetrics as metricsTable } from "../../flows/analytics/schema";
import { oncePerShopperDay } from "../../flows/analytics/shopper-events";
import { checkBatch, rejectForeignProducts } from "../../flows/analytics/validate";
import { products } from "../../flows/catalog/schema";
import { getDb } from "../../platform/db/client";
import { NotFoundError, RateLimitedError, ValidationError } from "../../platform/errors";
import type { AppEnv, Principal } from "../../platform/http/app-env";
import { principalOf } from "../../platform/http/principal";
import { newId } from "../../platform/ids";
import type { ingestEvents, productDailyMetrics } from "./analytics.routes";
import { MAX_RANGE_DAYS } from "./analytics.schemas";
import { queueClientEvents } from "./queue-events";

/** Products the caller may report on or read: a merchant's own, any for an admin. */
const ownedBy = (p: Principal): SQL | undefined =>
  p.role === "admin" ? undefined : eq(products.merchantId, p.userId);

/** The merchant of each of `ids` that is in the catalog: one query for the batch (ids as one JSON parameter). */
async function merchantsOf(env: Env, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await getDb(env.DB)
    .select({ id: products.id, merchantId: products.merchantId })
    .from(products)
    .where(inArray(products.id, sql`(select value from json_each(${JSON.stringify(ids)}))`));
  return new Map(rows.map((r) => [r.id, r.merchantId]));
}

/** The period of the ANALYTICS_EVENTS_BY_ACCOUNT binding (wrangler.toml): a refused account waits this long. */
const EVENTS_RATE_PERIOD_SECONDS = 10;

export const ingestEventsHandler: RouteHandler<typeof ingestEvents, AppEnv> = async (c) => {
  const { events } = c.req.valid("json");
  const principal = principalOf(c);
  // Per account (its sessions and keys alike), so one tenant cannot flood the queue and the counters.
  const { success } = await c.env.ANALYTICS_EVENTS_BY_ACCOUNT.limit({ key: principal.userId });
  if (!success) {
    throw new RateLimitedError(
      EVENTS_RATE_PERIOD_SECONDS,
      "Too many event batches from this account. Send fewer, larger batches (up to 500 events each).",
    );
  }
  const now = Date.now();
  const checked = checkBatch(events, now, () => newId("aev", now));
  const productIds = [...new Set(checked.accepted.flatMap((a) => a.event.productId ?? []))];
  // A merchant reports on its own products; a buyer (the shopper the facts are about) and an admin on any.
  const reporter = principal.role === "merchant" ? principal.userId : null;
  const { accepted, rejected } = rejectForeignProducts(
    checked,
    await merchantsOf(c.env, productIds),
    reporter,
  );
  const kept = accepted.map((a) => a.event);
  const toQueue = principal.role === "buyer" ? await oncePerShopperDay(principal.userId, kept) : kept;
  const messages = toQueue.length > 0 ? await queueClientEvents(c, principal.userId, toQueue, now) : 0;
  c.get("log").info("analytics.events-received", {
    accepted: accepted.length,
    rejected: rejected.length,
    messages,
  });
  return c.json({ accepted: accepted.length, rejected }, 202);
};

/** The requested range, defaulting to the 30 days up to today; `from` after `to` or too long is a 400. */
function rangeOf(query: { from?: string; to?: string }, now: number): { from: string; to: string } {
  const to = query.to ?? utcDay(now);
  const from = query.from ?? utcDay(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000);
  if (from > to) throw new ValidationError([{ field: "from", in: "query", message: "must not be after to" }]);
  if (daysBetween(from, to).length > MAX_RANGE_DAYS) {
    throw new ValidationError([
      { field: "from", in: "query", message: `the range may span at most ${MAX_RANGE_DAYS} days` },
    ]);
  }
  return { from, to };
}

export const productDailyMetricsHandler: RouteHandler<typeof productDailyMetrics, AppEnv> = async (c) => {
  const { productId } = c.req.valid("param");
  const { from, to } = rangeOf(c.req.valid("query"), Date.now());
  const db = getDb(c.env.DB);
  const [product, rows] = await db.batch([
    db
      .select({ id: products.id })
      .from(products)
      .where(and(eq(products.id, productId), ownedBy(principalOf(c)))),
    db
      .select()
      .from(metricsTable)
      .where(and(eq(metricsTable.productId, productId), between(metricsTable.day, from, to))),
  ]);
  // Someone else's product reads like a missing one.
  if (product.length === 0) throw new NotFoundError("product", productId);
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const days = daysBetween(from, to).map((day) => {
    const r = byDay.get(day);
    return {
      day,
      views: r?.views ?? 0,
      addToCarts: r?.addToCarts ?? 0,
      removesFromCart: r?.removesFromCart ?? 0,
      checkoutsStarted: r?.checkoutsStarted ?? 0,
    };
  });
  return c.json({ productId, from, to, days }, 200);
};
