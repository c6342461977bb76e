import { and, eq, gt } from "drizzle-orm";
import type { Db } from "../client";
import { sessions, users } from "../schema";

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
 * A builder rather than a finished query so that bench/'s bare worker can take its SQL with `.toSQL()`
 * and measure the identical statement without the framework.
 *
 * @example
 * const row = await selectSessionPrincipal(db, await sha256Hex(token), Date.now()).get();
 */
export function selectSessionPrincipal(db: Db, tokenHash: string, now: number) {
  return db
    .select({ user: principalUserColumns })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)));
}
