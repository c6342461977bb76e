import type { Clock } from "../../src/platform/clock";

/**
 * A clock whose time moves only when the test says so. `sleep` resolves once `advance` has moved time
 * to its end; `asleep()` resolves once something sleeps on the clock, so a test can change the world
 * while the code under test waits, then let it wake.
 *
 * @example
 * const time = manualClock();
 * await time.asleep();
 * await startJob(…);
 * time.advance(JOB_POLL_MS);
 */
export function manualClock(start = Date.now()) {
  let now = start;
  let sleepers: { until: number; wake: () => void }[] = [];
  const waiting: (() => void)[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: (ms) =>
      new Promise<void>((wake) => {
        sleepers.push({ until: now + ms, wake });
        for (const resolve of waiting.splice(0)) resolve();
      }),
    every(ms, tick) {
      let stopped = false;
      void (async () => {
        while (!stopped) {
          await clock.sleep(ms);
          if (!stopped) await tick();
        }
      })();
      return () => {
        stopped = true;
      };
    },
  };
  return {
    clock,
    now: () => now,
    /** Moves time on by `ms`, waking every sleeper whose time has come. */
    advance(ms: number) {
      now += ms;
      const due = sleepers.filter((s) => s.until <= now);
      sleepers = sleepers.filter((s) => s.until > now);
      for (const s of due) s.wake();
    },
    /** Resolves once something sleeps on this clock (at once if something does). */
    asleep: () =>
      sleepers.length > 0 ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve)),
  };
}
