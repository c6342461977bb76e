/**
 * The local runtime as `npm start` runs it (scripts/start.ts: migrate, seed, `wrangler dev`), in its
 * own process group and its own state directory, so a game day can kill all of it at once with
 * SIGKILL — workerd included — and never touches the developer's `.wrangler/state`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, readFileSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export interface RuntimeOptions {
  root: string;
  port: number;
  /** Passed to scripts/start.ts as CROSSDOCK_STATE_DIR (`--persist-to`). */
  stateDir: string;
  /** One log file per start: runtime-<n>.log. */
  logDir: string;
  seedProducts: number;
  healthTimeoutMs: number;
  /** Worker variables over wrangler.toml's (e.g. lower alert thresholds for a game day). */
  vars?: Record<string, string>;
}

/** Whether something already listens on 127.0.0.1:port. */
export async function portInUse(port: number): Promise<boolean> {
  const socket = createConnection({ host: "127.0.0.1", port });
  try {
    await once(socket, "connect");
    return true;
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
}

export class LocalRuntime {
  private child: ChildProcess | null = null;
  private exited: Promise<unknown> = Promise.resolve();
  private starts = 0;

  constructor(readonly options: RuntimeOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  /** Starts it the way `npm start` does and resolves at the first 200 from GET /health (epoch ms). */
  async start(): Promise<number> {
    if (this.child) throw new Error("runtime already running");
    const { root, port, stateDir, logDir, seedProducts } = this.options;
    const logFile = join(logDir, `runtime-${++this.starts}.log`);
    const log = createWriteStream(logFile);
    const bin = join(root, "node_modules", ".bin");
    const child = spawn(join(bin, "tsx"), ["scripts/start.ts"], {
      cwd: root,
      // Its own process group: kill() takes tsx, wrangler, esbuild and workerd down together.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        // npm puts node_modules/.bin first (Node 22 and wrangler come from there); so do we.
        PATH: `${bin}:${process.env.PATH ?? ""}`,
        PORT: String(port),
        CROSSDOCK_STATE_DIR: stateDir,
        SEED_PRODUCTS: String(seedProducts),
        CROSSDOCK_VARS: JSON.stringify(this.options.vars ?? {}),
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        WRANGLER_SEND_METRICS: "false",
      },
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    this.exited = once(child, "exit");
    const deadline = Date.now() + this.options.healthTimeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        this.child = null;
        throw new Error(`runtime exited during start-up; see ${logFile}:\n${tail(logFile)}`);
      }
      if (await this.healthy()) return Date.now();
      await sleep(250);
    }
    await this.kill();
    throw new Error(
      `no healthy answer within ${this.options.healthTimeoutMs} ms; see ${logFile}:\n${tail(logFile)}`,
    );
  }

  async healthy(): Promise<boolean> {
    try {
      const res = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(2000) });
      await res.body?.cancel();
      return res.status === 200;
    } catch {
      return false;
    }
  }

  /** SIGKILL to the whole process group: no shutdown hook runs, as in a machine or process crash. */
  async kill(): Promise<number> {
    const child = this.child;
    if (!child?.pid) return Date.now();
    const killedAt = Date.now();
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
    }
    await this.exited;
    this.child = null;
    // The group's other members are reaped by init; wait until the port is free for the restart.
    for (let i = 0; i < 40 && (await portInUse(this.options.port)); i++) await sleep(250);
    return killedAt;
  }

  /** A clean stop at the end of a run (SIGKILL too: the state is already read, nothing to flush). */
  stop(): Promise<number> {
    return this.kill();
  }
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
