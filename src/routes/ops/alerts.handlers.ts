import type { RouteHandler } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { evaluateAlerts } from "../../flows/ops/alerting";
import { listFingerprint } from "../../flows/ops/cursor";
import { getDb } from "../../platform/db/client";
import { alerts } from "../../platform/events/schema";
import type { AppEnv } from "../../platform/http/app-env";
import type { evaluateAlertsRoute, listAlertsRoute } from "./alerts.routes";
import { afterCursor, type Keyset, toPage } from "./ops.shared";
import { toAlertView } from "./views";

export const listAlerts: RouteHandler<typeof listAlertsRoute, AppEnv> = async (c) => {
  const { limit, cursor, state } = c.req.valid("query");
  const keyset: Keyset = {
    time: alerts.raisedAt,
    id: alerts.id,
    direction: "desc",
    fingerprint: listFingerprint("alerts", { state }),
  };
  const rows = await getDb(c.env.DB)
    .select()
    .from(alerts)
    .where(and(state === undefined ? undefined : eq(alerts.state, state), afterCursor(keyset, cursor)))
    .orderBy(desc(alerts.raisedAt), desc(alerts.id))
    .limit(limit + 1);
  const page = toPage(rows, limit, (r) => [r.raisedAt, r.id], keyset.fingerprint);
  return c.json({ items: page.items.map(toAlertView), nextCursor: page.nextCursor }, 200);
};

export const evaluateAlertsNow: RouteHandler<typeof evaluateAlertsRoute, AppEnv> = async (c) => {
  const result = await evaluateAlerts(c.env, Date.now(), c.get("log"));
  return c.json(result, 200);
};
