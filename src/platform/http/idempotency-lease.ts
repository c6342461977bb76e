/**
 * How long a request holds its Idempotency-Key without renewing it: above the slowest normal request
 * of an idempotent route (placing an order is a few D1 round trips, well under a second), and short,
 * because it is how long a retry is refused with 409 after the holder's process died mid-request.
 * A live request renews it (keepLeaseAlive, src/platform/events/dedup-lease.ts).
 */
export const LEASE_MS = 10_000;
/** A live request renews its lease this often: three beats per lease, so one may be lost. */
export const HEARTBEAT_MS = 3_000;
