import type { RouteHandler, z } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import { listFingerprint } from "../../flows/ops/cursor";
import { getDb } from "../../platform/db/client";
import { inState } from "../../platform/events/deliveries-query";
import type { ConsumerName } from "../../platform/events/registry";
import { deliveries } from "../../platform/events/schema";
import type { AppEnv } from "../../platform/http/app-env";
import type { DeliveryListQuery, listDeliveriesRoute } from "./deliveries.routes";
import { afterCursor, iso, isoOrNull, type Keyset, toPage } from "./ops.shared";

/**
 * One page of deliveries outstanding, oldest published first: GET /ops/deliveries and the console's
 * Deliveries page.
 *
 * @throws InvalidCursorError for a cursor from another list or filters.
 */
export async function deliveriesPage(env: Env, query: z.output<typeof DeliveryListQuery>, now: number) {
  const { limit, cursor, ...filters } = query;
  const keyset: Keyset = {
    time: deliveries.publishedAt,
    id: deliveries.id,
    direction: "asc",
    fingerprint: listFingerprint("deliveries", filters),
  };
  const rows = await getDb(env.DB)
    .select()
    .from(deliveries)
    .where(
      and(
        inState(filters.state),
        filters.consumer === undefined ? undefined : eq(deliveries.consumer, filters.consumer),
        afterCursor(keyset, cursor),
      ),
    )
    .orderBy(asc(deliveries.publishedAt), asc(deliveries.id))
    .limit(limit + 1);
  const page = toPage(rows, limit, (r) => [r.publishedAt, r.id] as const, keyset.fingerprint);
  return {
    items: page.items.map((r) => ({
      consumer: r.consumer as ConsumerName,
      eventId: r.eventId,
      eventType: r.eventType,
      correlationId: r.correlationId,
      state: r.state,
      publishedAt: iso(r.publishedAt),
      ageSeconds: Math.max(0, Math.floor((now - r.publishedAt) / 1000)),
      resends: r.resends,
      lastResentAt: isoOrNull(r.lastResentAt),
      lastError: r.lastError,
      checkedAt: iso(r.checkedAt),
    })),
    nextCursor: page.nextCursor,
  };
}

export const listDeliveries: RouteHandler<typeof listDeliveriesRoute, AppEnv> = async (c) =>
  c.json(await deliveriesPage(c.env, c.req.valid("query"), Date.now()), 200);
