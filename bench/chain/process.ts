/**
 * What the workerd process holds while buyers wait: its CPU seconds and its resident memory, read from
 * /proc (Linux; elsewhere null). RSS is sampled every 50 ms, so a peak shorter than that can be missed.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { cpuSecondsOf, memoryOf, workerdPids } from "../imports/memory";

export interface ProcessWindow {
  cpuSeconds: number | null;
  /** Highest RSS sampled during the window, and RSS when it began, in MiB. */
  peakRssMiB: number | null;
  startRssMiB: number | null;
}

/** Starts watching the workerd child of this process; `stop()` ends the window. */
export function watchWorkerd(everyMs = 50) {
  const pid = workerdPids()[0] ?? null;
  const rss = () => (pid === null ? null : (memoryOf(pid)?.rssMiB ?? null));
  const cpu0 = pid === null ? null : cpuSecondsOf(pid);
  const startRssMiB = rss();
  let peak = startRssMiB;
  const timer = setInterval(() => {
    const now = rss();
    if (now !== null && (peak === null || now > peak)) peak = now;
  }, everyMs);
  return {
    stop(): ProcessWindow {
      clearInterval(timer);
      const cpu1 = pid === null ? null : cpuSecondsOf(pid);
      return {
        cpuSeconds: cpu0 === null || cpu1 === null ? null : Math.round((cpu1 - cpu0) * 100) / 100,
        peakRssMiB: peak === null ? null : Math.round(peak),
        startRssMiB: startRssMiB === null ? null : Math.round(startRssMiB),
      };
    },
  };
}

/**
 * Waits until workerd is idle — under `idleCpu` CPU seconds per second over a second — so one run's
 * background work (projections, emails, settlements) does not land on the next run; at most `capMs`.
 */
export async function untilIdle(idleCpu = 0.05, capMs = 30_000): Promise<number> {
  const pid = workerdPids()[0];
  const t0 = Date.now();
  if (pid === undefined) return 0;
  for (;;) {
    const before = cpuSecondsOf(pid) ?? 0;
    await sleep(1000);
    const used = (cpuSecondsOf(pid) ?? 0) - before;
    if (used < idleCpu || Date.now() - t0 > capMs) return Date.now() - t0;
  }
}
