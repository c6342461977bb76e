/** First retry waits about this long; each later one twice as long as the one before. */
const BASE_SECONDS = 2;
/** No retry waits longer than this (Queues allows up to 12 hours; an hour keeps recovery visible). */
const CAP_SECONDS = 3600;

/**
 * Per-message retry delay: exponential in the attempt count, with "equal jitter" (half fixed, half
 * random) so that messages which failed together do not all come back at the same instant.
 *
 * @example
 * msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
 */
export function backoffSeconds(attempt: number, random: () => number = Math.random): number {
  const exp = maxBackoffSeconds(attempt);
  return Math.max(1, Math.round(exp / 2 + random() * (exp / 2)));
}

/** The longest `backoffSeconds(attempt)` can be: until then, a retried message may still be queued. */
export function maxBackoffSeconds(attempt: number): number {
  return Math.min(CAP_SECONDS, BASE_SECONDS * 2 ** Math.max(0, attempt - 1));
}
