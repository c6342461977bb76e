import { and, gt, inArray, sql } from "drizzle-orm";
import { WATCH_PREFIX } from "../../flows/accounts/login-watch";
import { loginLockouts } from "../../flows/accounts/schema";
import type { Db } from "../../platform/db/client";
import { RateLimitedError } from "../../platform/errors";

/** How long a throttled (email, client) pair or client waits, matching the limiters' 60-second period. */
export const LOCKOUT_SECONDS = 60;

/**
 * How long an email stays watched after its failures across clients passed the ceiling: the
 * `login-failures-ceiling` alert fires while any email is watched, so it resolves after this long
 * without another failure past the ceiling.
 */
export const WATCH_SECONDS = 15 * 60;

type Limiters = Pick<
  Env,
  "LOGIN_FAILURES_BY_EMAIL_CLIENT" | "LOGIN_FAILURES_BY_CLIENT" | "LOGIN_FAILURES_BY_EMAIL"
>;

/**
 * Throttles password guessing per (email, client address) pair and per client address, and watches
 * each email across clients.
 *
 * Nothing locks an email as such: anyone can send failures for someone else's email, and a lockout
 * by email alone would let them lock its owner out. A pair lockout only stops the client that
 * failed; a client lockout stops one address guessing many emails. Failures for one email past the
 * ceiling (LOGIN_FAILURES_BY_EMAIL, from many addresses) mean a distributed attack that no lockout
 * can stop without hurting the owner, so they mark the email watched instead, which raises an alert.
 *
 * The Workers rate-limiting binding counts, but it cannot be asked "is this key over?" without
 * counting another hit. So only failures are counted, and once a limiter says a key is over its
 * budget a row (key, until) is written to `login_lockouts`; every attempt checks the lockout rows
 * first and gets 429 with Retry-After until they pass, even with the right password.
 */
export class LoginThrottle {
  private readonly pairKey: string;
  private readonly clientKey: string;
  private readonly watchKey: string;
  private watched = false;

  constructor(
    private readonly db: Db,
    private readonly limiters: Limiters,
    email: string,
    clientAddress: string,
  ) {
    // JSON keeps the two parts apart whatever characters either holds.
    this.pairKey = `pair:${JSON.stringify([email, clientAddress])}`;
    this.clientKey = `client:${clientAddress}`;
    this.watchKey = `${WATCH_PREFIX}${email}`;
  }

  /** Throws 429 while the pair or the client is locked out. */
  async assertAllowed(now: number): Promise<void> {
    const rows = await this.db
      .select({ key: loginLockouts.key, until: loginLockouts.until })
      .from(loginLockouts)
      .where(
        and(
          inArray(loginLockouts.key, [this.pairKey, this.clientKey, this.watchKey]),
          gt(loginLockouts.until, now),
        ),
      );
    this.watched = rows.some((r) => r.key === this.watchKey);
    const until = Math.max(0, ...rows.filter((r) => r.key !== this.watchKey).map((r) => r.until));
    if (until > now)
      throw new RateLimitedError((until - now) / 1000, "Too many failed logins. Try again later.");
  }

  /**
   * Counts a failure. Past the email's ceiling it marks the email watched, calling `onNewlyWatched`
   * the first time so the caller can evaluate the alerts at once rather than at the next cron. Throws
   * 429 (after recording a lockout) when the failure tips the pair or the client over its budget.
   */
  async recordFailure(now: number, onNewlyWatched: () => void): Promise<void> {
    const [byPair, byClient, byEmail] = await Promise.all([
      this.limiters.LOGIN_FAILURES_BY_EMAIL_CLIENT.limit({ key: this.pairKey }),
      this.limiters.LOGIN_FAILURES_BY_CLIENT.limit({ key: this.clientKey }),
      this.limiters.LOGIN_FAILURES_BY_EMAIL.limit({ key: this.watchKey }),
    ]);
    const lockUntil = now + LOCKOUT_SECONDS * 1000;
    const rows = [
      ...(byPair.success ? [] : [{ key: this.pairKey, until: lockUntil }]),
      ...(byClient.success ? [] : [{ key: this.clientKey, until: lockUntil }]),
      ...(byEmail.success ? [] : [{ key: this.watchKey, until: now + WATCH_SECONDS * 1000 }]),
    ];
    if (rows.length === 0) return;
    await this.db
      .insert(loginLockouts)
      .values(rows)
      .onConflictDoUpdate({ target: loginLockouts.key, set: { until: sql`excluded.until` } });
    if (!byEmail.success && !this.watched) onNewlyWatched();
    if (!byPair.success || !byClient.success)
      throw new RateLimitedError(LOCKOUT_SECONDS, "Too many failed logins. Try again later.");
  }
}
