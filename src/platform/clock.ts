/**
 * Time as the code that waits on it sees it: the current time, a pause, a repeating timer. Injected
 * (the HTTP app's `clock` variable, the idempotency middleware's option) so tests move time by hand
 * instead of sleeping through it.
 *
 * @example
 * const app = createApp({ clock: systemClock });
 * // in a handler
 * await c.var.clock.sleep(JOB_POLL_MS);
 */
export interface Clock {
  now(): number;
  /** Resolves once `ms` of this clock's time have passed. */
  sleep(ms: number): Promise<void>;
  /** Calls `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => Promise<void>): () => void;
}

/** The wall clock and the runtime's timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  every(ms, tick) {
    const timer = setInterval(tick, ms);
    return () => clearInterval(timer);
  },
};
