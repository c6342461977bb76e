/**
 * Names shared by the event benchmark's Node side and its workers. The bare consumer has its own queue
 * (with crossdock's user-stats settings copied at run time) and writes its bookkeeping under its own
 * consumer name, so its rows never mix with crossdock's.
 */
export const BARE_QUEUE = "bench-bare-user-stats";
export const BARE_DEAD_LETTER_QUEUE = "bench-bare-user-stats-dlq";
export const BARE_CONSUMER = "user-stats-bare";

/** What the loader sends to: crossdock's user-stats queue or the bare consumer's. */
export type LoadTarget = "crossdock" | "bare";
