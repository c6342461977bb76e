import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { judgeLoad, loadGuardSettings } from "./load-guard";

/**
 * The machine's load outside the benchmark, sampled while the benchmark is idle (before a run, between
 * rounds): the mean number of runnable tasks over a short window, from /proc/stat's `procs_running`,
 * minus the one task reading it. Tasks of the benchmark that are idle (workerd with no request, the load
 * generator between runs) are not runnable, so what is left is other work.
 *
 * Not the 1-minute load average: it decays over about a minute, so between rounds it still holds most of
 * the previous 20 s of the benchmark's own two or three busy threads, and a quiet machine would read as
 * busy unless every pause lasted minutes. Where /proc/stat is missing (not Linux) it is the fallback,
 * which overstates the outside load and so errs towards refusing to publish.
 *
 * Costs `settleMs + windowMs` (2.5 s by default) of wall time per sample.
 */
export async function sampleOutsideLoad({
  settleMs = 500,
  windowMs = 2_000,
  everyMs = 50,
} = {}): Promise<number> {
  // Let the last requests, the load generator's teardown and a GC finish first.
  await sleep(settleMs);
  const counts: number[] = [];
  for (let waited = 0; waited < windowMs; waited += everyMs) {
    const running = procsRunning();
    if (running === null) return Math.round(loadavg()[0]! * 100) / 100;
    counts.push(Math.max(0, running - 1));
    await sleep(everyMs);
  }
  return Math.round((counts.reduce((a, b) => a + b, 0) / counts.length) * 100) / 100;
}

function procsRunning(): number | null {
  try {
    const line = /^procs_running (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"));
    return line ? Number(line[1]) : null;
  } catch {
    return null;
  }
}

/**
 * For a harness that writes one section of docs/BENCHMARKS.md: samples the outside load now, with the
 * harness idle, and says whether the section may be written (BENCH_MAX_LOAD, BENCH_ALLOW_LOAD); logs why
 * not. One sample at the end of the run, where bench/run.ts samples before and between its rounds.
 * bench/lib/publish-section.ts wraps this decision with the write and the exit code; prefer it.
 */
export async function quietEnoughToPublish(log: (message: string) => void): Promise<boolean> {
  const judgement = judgeLoad([await sampleOutsideLoad()], loadGuardSettings(process.env));
  log(judgement.summary);
  return judgement.publish;
}
