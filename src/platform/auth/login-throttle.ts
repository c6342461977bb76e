import { and, gt, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { loginLockouts } from "../../db/schema";
import { RateLimitedError } from "../errors";

/** How long a throttled email or client waits, matching the limiters' 60-second period. */
export const LOCKOUT_SECONDS = 60;

type Limiters = Pick<Env, "LOGIN_FAILURES_BY_EMAIL" | "LOGIN_FAILURES_BY_CLIENT">;

/**
 * Throttles password guessing per email and per client address.
 *
 * The Workers rate-limiting binding counts, but it cannot be asked "is this key over?" without
 * counting another hit. So only failures are counted, and once a limiter says a key is over its
 * budget a lockout row (key, until) is written to D1; every attempt checks those rows first and gets
 * 429 with Retry-After until they pass, even with the right password.
 */
export class LoginThrottle {
  private readonly keys: string[];

  constructor(
    private readonly db: Db,
    private readonly limiters: Limiters,
    email: string,
    clientAddress: string,
  ) {
    this.keys = [`email:${email}`, `client:${clientAddress}`];
  }

  /** Throws 429 while either key is locked out. */
  async assertAllowed(now: number): Promise<void> {
    const rows = await this.db
      .select({ until: loginLockouts.until })
      .from(loginLockouts)
      .where(and(inArray(loginLockouts.key, this.keys), gt(loginLockouts.until, now)));
    const until = Math.max(0, ...rows.map((r) => r.until));
    if (until > now)
      throw new RateLimitedError((until - now) / 1000, "Too many failed logins. Try again later.");
  }

  /** Counts a failure; throws 429 (after recording a lockout) when it tips a key over its budget. */
  async recordFailure(now: number): Promise<void> {
    const [byEmail, byClient] = await Promise.all([
      this.limiters.LOGIN_FAILURES_BY_EMAIL.limit({ key: this.keys[0]! }),
      this.limiters.LOGIN_FAILURES_BY_CLIENT.limit({ key: this.keys[1]! }),
    ]);
    const over = [byEmail.success ? null : this.keys[0]!, byClient.success ? null : this.keys[1]!].filter(
      (k): k is string => k !== null,
    );
    if (over.length === 0) return;
    const until = now + LOCKOUT_SECONDS * 1000;
    await this.db
      .insert(loginLockouts)
      .values(over.map((key) => ({ key, until })))
      .onConflictDoUpdate({ target: loginLockouts.key, set: { until } });
    throw new RateLimitedError(LOCKOUT_SECONDS, "Too many failed logins. Try again later.");
  }
}
