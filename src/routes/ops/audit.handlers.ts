import type { RouteHandler } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { listFingerprint } from "../../flows/ops/cursor";
import { auditLog } from "../../flows/ops/schema";
import { getDb } from "../../platform/db/client";
import type { AppEnv } from "../../platform/http/app-env";
import type { listAuditRoute } from "./audit.routes";
import { afterCursor, iso, type Keyset, toPage } from "./ops.shared";

type Row = typeof auditLog.$inferSelect;

const toAuditView = (row: Row) => ({
  id: row.id,
  at: iso(row.at),
  actor: { id: row.actorId, email: row.actorEmail },
  action: row.action,
  method: row.method,
  path: row.path,
  params: row.details.params,
  body: row.details.body,
  requestId: row.requestId,
  status: row.status,
});

export const listAudit: RouteHandler<typeof listAuditRoute, AppEnv> = async (c) => {
  const { limit, cursor, ...filters } = c.req.valid("query");
  const keyset: Keyset = {
    time: auditLog.at,
    id: auditLog.id,
    direction: "desc",
    fingerprint: listFingerprint("audit", filters),
  };
  const rows = await getDb(c.env.DB)
    .select()
    .from(auditLog)
    .where(
      and(
        filters.action === undefined ? undefined : eq(auditLog.action, filters.action),
        filters.actor === undefined ? undefined : eq(auditLog.actorId, filters.actor),
        afterCursor(keyset, cursor),
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit + 1);
  const page = toPage(rows, limit, (r) => [r.at, r.id], keyset.fingerprint);
  return c.json({ items: page.items.map(toAuditView), nextCursor: page.nextCursor }, 200);
};
