import { and, count, gt, like } from "drizzle-orm";
import type { Db } from "../../platform/db/client";
import { loginLockouts } from "./schema";

/** The login_lockouts key of an email watched after too many failures across clients (no lockout). */
export const WATCH_PREFIX = "watch:email:";

/** How many emails are watched now (the `login-failures-ceiling` alert's value), for a D1 batch. */
export const watchedEmailsQuery = (db: Db, now: number) =>
  db
    .select({ n: count() })
    .from(loginLockouts)
    .where(and(like(loginLockouts.key, `${WATCH_PREFIX}%`), gt(loginLockouts.until, now)));
