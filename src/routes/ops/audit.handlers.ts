import type { RouteHandler, z } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { listFingerprint } from "../../flows/ops/cursor";
import { auditLog } from "../../flows/ops/schema";
import { getDb } from "../../platform/db/client";
import type { AppEnv } from "../../platform/http/app-env";
import type { AuditListQuery, listAuditRoute } from "./audit.routes";
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

/**
 * One page of the audit log, newest first: GET /ops/audit and the console's Audit page.
 *
 * @throws InvalidCursorError for a cursor from another list or filters.
 */
export async function auditPage(env: Env, query: z.output<typeof AuditListQuery>) {
  const { limit, cursor, ...filters } = query;
  const keyset: Keyset = {
    time: auditLog.at,
    id: auditLog.id,
    direction: "desc",
    fingerprint: listFingerprint("audit", filters),
  };
  const rows = await getDb(env.DB)
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
  return { items: page.items.map(toAuditView), nextCursor: page.nextCursor };
}

export const listAudit: RouteHandler<typeof listAuditRoute, AppEnv> = async (c) =>
  c.json(await auditPage(c.env, c.req.valid("query")), 200);
