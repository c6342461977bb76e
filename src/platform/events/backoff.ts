import type { Backoff } from "../backoff";

/**
 * How queue messages are retried, in seconds: the first retry waits about 2 s, each later one twice as
 * long, none longer than an hour (Queues allows up to 12 hours; an hour keeps recovery visible).
 *
 * @example
 * msg.retry({ delaySeconds: backoffDelay(msg.attempts, QUEUE_RETRY_BACKOFF, Math.random) });
 */
export const QUEUE_RETRY_BACKOFF: Backoff = { base: 2, cap: 3600 };
