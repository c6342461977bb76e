import type { RouteHandler, z } from "@hono/zod-openapi";
import { and, desc, sql } from "drizzle-orm";
import { listFingerprint } from "../../flows/ops/cursor";
import { getDb } from "../../platform/db/client";
import { mailbox } from "../../platform/events/schema";
import type { AppEnv } from "../../platform/http/app-env";
import type { listMailboxRoute, MailboxListQuery } from "./mailbox.routes";
import { afterCursor, type Keyset, toPage } from "./ops.shared";
import { toMailView } from "./views";

/**
 * One page of the local mailbox, newest first: GET /ops/mailbox and the console's Mailbox page.
 *
 * @throws InvalidCursorError for a cursor from another list or filters.
 */
export async function mailboxPage(env: Env, { limit, cursor, to }: z.output<typeof MailboxListQuery>) {
  const recipient = to?.toLowerCase();
  const keyset: Keyset = {
    time: mailbox.sentAt,
    id: mailbox.id,
    direction: "desc",
    fingerprint: listFingerprint("mailbox", { to: recipient }),
  };
  const rows = await getDb(env.DB)
    .select()
    .from(mailbox)
    .where(
      and(
        recipient === undefined ? undefined : sql`${mailbox.to} = ${recipient} COLLATE NOCASE`,
        afterCursor(keyset, cursor),
      ),
    )
    .orderBy(desc(mailbox.sentAt), desc(mailbox.id))
    .limit(limit + 1);
  const page = toPage(rows, limit, (r) => [r.sentAt, r.id], keyset.fingerprint);
  return { items: page.items.map(toMailView), nextCursor: page.nextCursor };
}

export const listMailbox: RouteHandler<typeof listMailboxRoute, AppEnv> = async (c) =>
  c.json(await mailboxPage(c.env, c.req.valid("query")), 200);
