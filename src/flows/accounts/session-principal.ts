import { and, eq, gt, type Placeholder, sql } from "drizzle-orm";
import type { Db } from "../../platform/db/client";
import { perBinding } from "../../platform/db/prepared";
import { sessions, users } from "./schema";

/** The user columns every principal carries, whichever credential it came with. */
export const principalUserColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  createdAt: users.createdAt,
};

/**
 * The one D1 read behind a session-authenticated request: the live session joined to its user.
 * A builder rather than a finished query so that bench/'s same-SQL worker can take its SQL with `.toSQL()`
 * and measure the identical statement without the framework.
 *
 * @example
 * const row = await sessionPrincipalLookup(env.DB).get({ tokenHash: await sha256Hex(token), now: Date.now() });
 */
export function selectSessionPrincipal(db: Db, tokenHash: string | Placeholder, now: number | Placeholder) {
  return db
    .select({ user: principalUserColumns })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)));
}

/**
 * `selectSessionPrincipal` prepared once per D1 binding: it runs on every session-authenticated
 * request, and building its SQL (select, join, where) per request measurably cost CPU (see
 * docs/BENCHMARKS.md). Same statement, same D1 call.
 */
export const sessionPrincipalLookup = perBinding((db) =>
  selectSessionPrincipal(db, sql.placeholder("tokenHash"), sql.placeholder("now")).prepare(),
);
