import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU time of the workerd process(es) this harness started, from /proc (Linux only; elsewhere every
 * reading is null). Measured around each run it gives the runtime's CPU per request, which separates
 * what a worker costs from what the noisy machine does to latency.
 */
export class WorkerdCpu {
  readonly #ticksPerSec: number;
  #pids: number[] | null = null;

  constructor() {
    let ticks = 100;
    try {
      ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" })) || 100;
    } catch {}
    this.#ticksPerSec = ticks;
  }

  /** Total user+system CPU seconds of workerd children of this process, or null when unknown. */
  seconds(): number | null {
    try {
      this.#pids ??= findWorkerdChildren(process.pid);
      if (this.#pids.length === 0) return null;
      let ticks = 0;
      for (const pid of this.#pids) {
        // Fields after the parenthesised command: state ppid … utime(14) stime(15), counted from 1.
        const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
        ticks += Number(fields[11]) + Number(fields[12]);
      }
      return ticks / this.#ticksPerSec;
    } catch {
      return null;
    }
  }
}

function findWorkerdChildren(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.split(") ")[1]?.split(" ")[1]);
      if (name === "workerd" && ppid === parent) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}
