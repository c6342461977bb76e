import { readdirSync, readFileSync } from "node:fs";

/** workerd processes started by this Node process (Miniflare's children). */
export function workerdPids(parent = process.pid): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (name === "workerd" && Number(stat.split(") ")[1]?.split(" ")[1]) === parent)
        pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** VmRSS and VmHWM (peak RSS since the process started) of a process, in MiB; null off Linux. */
export function memoryOf(pid: number): { rssMiB: number; hwmMiB: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
    return { rssMiB: kib("VmRSS") / 1024, hwmMiB: kib("VmHWM") / 1024 };
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; returns the highest sample seen. */
export function sampleRss(pid: number, everyMs = 100) {
  let peak = 0;
  const tick = () => {
    const m = memoryOf(pid);
    if (m && m.rssMiB > peak) peak = m.rssMiB;
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return {
    stop(): number {
      clearInterval(timer);
      tick();
      return peak;
    },
  };
}

/** CPU seconds (user + system, all threads) a process has used so far; null off Linux. */
export function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
