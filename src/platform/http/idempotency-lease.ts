import type { Clock } from "../clock";
import type { dedupKey } from "../events/dedup-client";
import { errorFields, type Logger } from "../observability/logger";

/**
 * How long a request holds its Idempotency-Key without renewing it: above the slowest normal request
 * of an idempotent route (placing an order is a few D1 round trips, well under a second), and short,
 * because it is how long a retry is refused with 409 after the holder's process died mid-request.
 */
export const LEASE_MS = 10_000;
/**
 * A live request renews its lease this often, to LEASE_MS from then. Three beats per lease: one renewal
 * may be lost or slow (the DedupStore briefly unreachable) and the next still lands before the lease
 * ends, so a live slow request (a 50 MiB upload) is never taken over; a dead one stops beating.
 */
export const HEARTBEAT_MS = 3_000;

/** What a lease needs of a clock: time, and the heartbeat's timer. */
export type LeaseClock = Pick<Clock, "now" | "every">;

/**
 * Keeps a claimed key's lease alive while the request runs. `stop()` ends the heartbeat, waits for a
 * renewal in flight and returns the lease's current `leaseUntil` (the fencing token `release` needs).
 * A renewal answered null means the key was taken over (this request stalled past its lease): the
 * heartbeat stops and `idempotency.lease-lost` is logged, since the operation may now run twice.
 *
 * @example
 * const lease = keepLeaseAlive(store, claim.record.leaseUntil, systemClock, log);
 * try { await next(); } finally { await store.release(await lease.stop()); }
 */
export function keepLeaseAlive(
  store: Pick<ReturnType<typeof dedupKey>, "renew">,
  leaseUntil: number,
  clock: LeaseClock,
  log: Logger,
) {
  let token = leaseUntil;
  let renewing: Promise<void> | null = null;
  let lost = false;
  // Resolves when this beat's renewal is settled (tests with a manual clock wait for it).
  const beat = (): Promise<void> => {
    if (renewing || lost) return renewing ?? Promise.resolve();
    renewing = store
      .renew(token, clock.now(), LEASE_MS)
      .then((renewed) => {
        if (renewed === null) {
          lost = true;
          cancel();
          log.warn("idempotency.lease-lost", { leaseUntil: token });
        } else token = renewed;
      })
      .catch((err: unknown) => log.error("idempotency.renew-failed", errorFields(err)))
      .finally(() => {
        renewing = null;
      });
    return renewing;
  };
  const cancel = clock.every(HEARTBEAT_MS, beat);
  return {
    async stop(): Promise<number> {
      cancel();
      await renewing;
      return token;
    },
  };
}
