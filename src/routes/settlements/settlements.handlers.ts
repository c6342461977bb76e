import type { RouteHandler } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { listFingerprint } from "../../flows/ops/cursor";
import { feeBpsOf } from "../../flows/settlements/config";
import { entriesOf, ledgerOf } from "../../flows/settlements/queries";
import { type SettlementRow, settlements } from "../../flows/settlements/schema";
import { rebuiltStatement } from "../../flows/settlements/statement";
import { getDb } from "../../platform/db/client";
import { ConflictError, ForbiddenError, NotFoundError } from "../../platform/errors";
import { csvAttachment } from "../../platform/files/csv-attachment";
import type { AppEnv } from "../../platform/http/app-env";
import { principalOf } from "../../platform/http/principal";
import { afterCursor, type Keyset, toPage } from "../ops/ops.shared";
import { toSettlement, toSettlementSummary } from "./settlement-view";
import type { getSettlement, getSettlementStatement, listSettlements } from "./settlements.routes";

/**
 * The settlement if the caller may read it: its merchant, or an admin. Another merchant's and an
 * unknown id are the same 404, so ids cannot be probed.
 */
async function readable(
  env: Env,
  id: string,
  principal: { userId: string; role: string },
): Promise<SettlementRow> {
  const owner = principal.role === "admin" ? undefined : eq(settlements.merchantId, principal.userId);
  const row = await getDb(env.DB)
    .select()
    .from(settlements)
    .where(and(eq(settlements.id, id), owner))
    .get();
  if (!row) throw new NotFoundError("settlement", id);
  return row;
}

/**
 * One page of settlements, newest period first (keyset on period_start, id, descending), every
 * merchant's or one's: GET /v1/settlements and the console's Settlements page.
 *
 * @throws InvalidCursorError for a cursor from another list or merchant.
 */
export async function settlementsPage(
  env: Env,
  { limit, cursor, merchant }: { limit: number; cursor?: string | undefined; merchant?: string | undefined },
) {
  const keyset: Keyset = {
    time: settlements.periodStart,
    id: settlements.id,
    direction: "desc",
    fingerprint: listFingerprint("settlements", { merchant }),
  };
  const rows = await getDb(env.DB)
    .select()
    .from(settlements)
    .where(
      and(
        merchant === undefined ? undefined : eq(settlements.merchantId, merchant),
        afterCursor(keyset, cursor),
      ),
    )
    .orderBy(desc(settlements.periodStart), desc(settlements.id))
    .limit(limit + 1);
  const page = toPage(rows, limit, (r) => [r.periodStart, r.id], keyset.fingerprint);
  return { items: page.items.map(toSettlementSummary), nextCursor: page.nextCursor };
}

export const listSettlementsHandler: RouteHandler<typeof listSettlements, AppEnv> = async (c) => {
  const { limit, cursor, merchantId } = c.req.valid("query");
  const principal = principalOf(c);
  if (merchantId !== undefined && principal.role !== "admin")
    throw new ForbiddenError("Only admins filter by merchantId; merchants see their own settlements.");
  const merchant = principal.role === "admin" ? merchantId : principal.userId;
  return c.json(await settlementsPage(c.env, { limit, cursor, merchant }), 200);
};

export const getSettlementHandler: RouteHandler<typeof getSettlement, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const row = await readable(c.env, id, principalOf(c));
  const ledger = await ledgerOf(getDb(c.env.DB), id);
  return c.json(toSettlement(row, ledger), 200);
};

/** Streams the CSV from R2: never buffered in the worker, whatever its size (a rebuilt one is small). */
export const getSettlementStatementHandler: RouteHandler<typeof getSettlementStatement, AppEnv> = async (
  c,
) => {
  const { id } = c.req.valid("param");
  const row = await readable(c.env, id, principalOf(c));
  if (row.statementKey === null)
    throw new ConflictError(
      `Settlement '${id}' is ${row.status}; its statement is written when it is settled.`,
      "statement-not-ready",
      { settlementStatus: row.status },
    );
  const object = await c.env.FILES.get(row.statementKey);
  if (object) return csvAttachment(object.body, `${id}.csv`, { size: object.size, etag: object.httpEtag });
  // Not in R2: a settlement the demo seed wrote (it can write D1 only) or an object lost since. The
  // stored entries rebuild the same file unless the fee rate changed; otherwise it is our fault.
  const header = { ...row, settlementId: id, feeBps: feeBpsOf(c.env) };
  const csv = rebuiltStatement(header, row, await entriesOf(getDb(c.env.DB), id));
  if (csv === null) throw new Error(`settlement ${id}: statement ${row.statementKey} missing from R2`);
  const bytes = new TextEncoder().encode(csv);
  return csvAttachment(new Blob([bytes]).stream(), `${id}.csv`, { size: bytes.byteLength });
};
