import type { Clock } from "../clock";
import { errorFields, type Logger } from "../observability/logger";
import type { dedupKey } from "./dedup-client";

/** What a lease needs of a clock: time, and the heartbeat's timer. */
export type LeaseClock = Pick<Clock, "now" | "every">;

export interface LeaseOptions {
  /** How long each renewal holds the key: how long a holder that died keeps it from the next claim. */
  leaseMs: number;
  /**
   * How often a live holder renews. A third of the lease by default: one renewal may be lost or slow
   * (the DedupStore briefly unreachable) and the next still lands before the lease ends, so a live slow
   * holder is never taken over; a dead one stops beating.
   */
  heartbeatMs?: number;
  clock: LeaseClock;
  log: Logger;
  /** Names the log lines: `<logAs>.lease-lost`, `<logAs>.renew-failed`. */
  logAs: "idempotency" | "event";
}

/**
 * Keeps a claimed DedupStore key's lease alive while its holder works: an HTTP request under an
 * Idempotency-Key, or a consumer's effect outside D1. So a lease can be short — it is how long a key
 * stays blocked after its holder's process died — however long the work takes. `stop()` ends the
 * heartbeat, waits for a renewal in flight and returns the lease's current `leaseUntil` (the fencing
 * token `release` needs). A renewal answered null means the key was taken over (the holder stalled past
 * its lease): the heartbeat stops and `<logAs>.lease-lost` is logged, since the work may now run twice.
 *
 * @example
 * const lease = keepLeaseAlive(store, claim.record.leaseUntil, { leaseMs, clock, log, logAs: "event" });
 * try { await work(); } finally { await store.release(await lease.stop()); }
 */
export function keepLeaseAlive(
  store: Pick<ReturnType<typeof dedupKey>, "renew">,
  leaseUntil: number,
  { leaseMs, heartbeatMs = Math.floor(leaseMs / 3), clock, log, logAs }: LeaseOptions,
) {
  let token = leaseUntil;
  let renewing: Promise<void> | null = null;
  let lost = false;
  // Resolves when this beat's renewal is settled (tests with a manual clock wait for it).
  const beat = (): Promise<void> => {
    if (renewing || lost) return renewing ?? Promise.resolve();
    renewing = store
      .renew(token, clock.now(), leaseMs)
      .then((renewed) => {
        if (renewed === null) {
          lost = true;
          cancel();
          log.warn(`${logAs}.lease-lost`, { leaseUntil: token });
        } else token = renewed;
      })
      .catch((err: unknown) => log.error(`${logAs}.renew-failed`, errorFields(err)))
      .finally(() => {
        renewing = null;
      });
    return renewing;
  };
  const cancel = clock.every(heartbeatMs, beat);
  return {
    async stop(): Promise<number> {
      cancel();
      await renewing;
      return token;
    },
  };
}
