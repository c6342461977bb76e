import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";

export interface MachineFacts {
  date: string;
  nproc: number;
  cpuModel: string;
  /** `free -g`, or total memory when `free` is not available. */
  memory: string;
  os: string;
  node: string;
  workerd: string;
  miniflare: string;
  wrangler: string;
  autocannon: string;
  gitCommit: string;
  /** 1, 5 and 15 minute load averages when the run started: other work on the machine shows here. */
  loadAverage: number[];
}

const require = createRequire(import.meta.url);
const versionOf = (pkg: string, from = require): string => {
  try {
    return (from(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return "unknown";
  }
};

function command(file: string, args: string[]): string | null {
  try {
    return execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trimEnd();
  } catch {
    return null;
  }
}

export function machineFacts(root: string): MachineFacts {
  // workerd as miniflare resolves it, which is the binary that ran the workers.
  const fromMiniflare = createRequire(require.resolve("miniflare"));
  const commit = command("git", ["-C", root, "rev-parse", "--short", "HEAD"]);
  const dirty = command("git", ["-C", root, "status", "--porcelain", "--", "src", "bench", "migrations"]);
  return {
    date: new Date().toISOString(),
    nproc: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memory: command("free", ["-g"]) ?? `${Math.round(os.totalmem() / 2 ** 30)} GiB total`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    workerd: versionOf("workerd", fromMiniflare),
    miniflare: versionOf("miniflare"),
    wrangler: versionOf("wrangler"),
    autocannon: versionOf("autocannon"),
    gitCommit: commit ? `${commit}${dirty ? " (with uncommitted changes)" : ""}` : "unknown",
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
