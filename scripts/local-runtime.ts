/**
 * Crossdock on this machine the way `npm start` runs it, for `npm start` itself and for harnesses that
 * need the same runtime (a crash test that kills and restarts it): the local state prepared, then
 * `wrangler dev --test-scheduled` with the cron driver beside it (scripts/local-crons.ts).
 */
import { type ChildProcess, type StdioOptions, spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { unstable_readConfig } from "wrangler";
import { type CronDriver, type CronLog, startCronDriver } from "./local-crons";

/** wrangler must stay offline and quiet: no account look-ups, no metrics. */
export const OFFLINE_ENV = { CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" };

/**
 * CROSSDOCK_STATE_DIR: local D1/DO/R2 state somewhere other than .wrangler/state (the crash test keeps
 * its own there), passed as `--persist-to` to the migrations, the seed and wrangler dev alike.
 */
const persist = () =>
  process.env.CROSSDOCK_STATE_DIR ? ["--persist-to", process.env.CROSSDOCK_STATE_DIR] : [];

/** SQLite's "another connection holds the file" answers, which pass when that connection lets go. */
const BUSY = /database is locked|SQLITE_BUSY/;
const BUSY_ATTEMPTS = 5;

/**
 * Runs one preparation step with its output captured: one line when it succeeds (a migration run
 * redraws its tables and the seed prints wrangler's JSON, hundreds of lines that would scroll the
 * banner away), the whole captured output when it fails, since that is when it is worth reading.
 *
 * A step that finds the database busy is run again, up to five times a second apart: after a crash the
 * first connection to open the file replays its write-ahead log, and anything else that opens it then
 * (a game day's state reader, a SQLite browser) gets SQLITE_BUSY_RECOVERY for a moment. Every step here
 * is idempotent, so running it again is safe.
 */
function run(root: string, cmd: string, args: string[], what: string): void {
  const began = Date.now();
  for (let attempt = 1; ; attempt++) {
    // CI=true keeps wrangler from asking for confirmation; these steps must run unattended.
    const res = spawnSync(cmd, args, {
      cwd: root,
      env: { ...process.env, ...OFFLINE_ENV, CI: "true" },
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    });
    if (res.status === 0) break;
    const output = `${res.stdout ?? ""}${res.stderr ?? ""}`;
    if (attempt < BUSY_ATTEMPTS && BUSY.test(output)) {
      console.log(`… ${what}: the database is busy (attempt ${attempt}); again in 1 s`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
      continue;
    }
    console.error(`✖ ${what}\n${output}`);
    throw new Error(`${what} failed (exit ${res.status ?? res.signal ?? res.error?.message})`);
  }
  console.log(`✔ ${what} (${((Date.now() - began) / 1000).toFixed(1)} s)`);
}

/** The local secrets, from .dev.vars (created from .dev.vars.example the first time). */
export function devVars(root: string): Record<string, string> {
  const file = join(root, ".dev.vars");
  if (!existsSync(file)) {
    copyFileSync(join(root, ".dev.vars.example"), file);
    console.log("Created .dev.vars from .dev.vars.example (local secrets; git-ignored).");
  }
  const vars: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
    if (m?.[1] && m[2] !== undefined) vars[m[1]] = m[2].replace(/^"(.*)"$/, "$1");
  }
  return vars;
}

/**
 * Everything `npm start` does before the server: the API reference bundle, .dev.vars, the D1
 * migrations and the demo catalog (idempotent: a second run changes nothing). Throws when a step fails.
 */
export function prepareLocalState(root: string, seedProducts: number): Record<string, string> {
  const secrets = devVars(root);
  if (!existsSync(join(root, "public", "docs", "scalar.js")))
    run(
      root,
      "node",
      ["scripts/vendor-assets.mjs"],
      "Vendoring the browser assets (API reference, console charts)",
    );
  // Every D1 binding: with D1_SHARDS > 1 the shards (DB_SHARD_n) carry the whole schema, like DB.
  const databases = unstable_readConfig(
    { config: join(root, "wrangler.toml") },
    { hideWarnings: true },
  ).d1_databases;
  for (const { binding } of databases)
    run(
      root,
      "wrangler",
      ["d1", "migrations", "apply", binding, "--local", ...persist()],
      `Applying D1 migrations to ${binding} (local)`,
    );
  run(
    root,
    "tsx",
    ["scripts/seed.ts", "--products", String(seedProducts), ...persist()],
    "Seeding the demo catalog",
  );
  return secrets;
}

/**
 * Fault injection is on when run locally (wrangler.toml keeps production off): `--var
 * FAULTS_ENABLED:true` for wrangler dev, unless .dev.vars sets the key (wrangler reads it; set
 * `FAULTS_ENABLED=false` there to rehearse production) or the environment does, whose value is passed
 * instead. A .dev.vars made before the key existed therefore still gets it on.
 *
 * @example
 * faultsVar({}, {}); // ["--var", "FAULTS_ENABLED:true"]
 */
export function faultsVar(environment: { FAULTS_ENABLED?: string }, dotDevVars: Record<string, string>) {
  if (environment.FAULTS_ENABLED !== undefined)
    return ["--var", `FAULTS_ENABLED:${environment.FAULTS_ENABLED}`];
  return dotDevVars.FAULTS_ENABLED === undefined ? ["--var", "FAULTS_ENABLED:true"] : [];
}

/**
 * CROSSDOCK_VARS: a JSON object of worker variables over wrangler.toml's, for a runtime a harness
 * starts (a game day lowers the dead-letter alert thresholds so they fire within its minutes).
 *
 * @example
 * extraVars('{"ALERT_DLQ_MAX_COUNT":"10"}'); // ["--var", "ALERT_DLQ_MAX_COUNT:10"]
 */
export function extraVars(json: string | undefined): string[] {
  if (!json) return [];
  const vars = JSON.parse(json) as Record<string, unknown>;
  return Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${String(v)}`]);
}

/** The cron expressions of wrangler.toml `[triggers] crons`, as wrangler reads them. */
export function cronsOf(root: string): string[] {
  return unstable_readConfig({ config: join(root, "wrangler.toml") }, { hideWarnings: true }).triggers.crons;
}

/**
 * Refuses a port something else listens on: the cron driver would otherwise fire another server's
 * crons before wrangler dev gives up on the address.
 */
async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        err.code === "EADDRINUSE"
          ? new Error(`127.0.0.1:${port} is already in use; choose another port (PORT=…)`)
          : err,
      ),
    );
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

export interface LocalRuntimeOptions {
  root: string;
  port: number;
  /** wrangler dev's output; `npm start` inherits it. */
  stdio?: StdioOptions;
  cronLog: CronLog;
}

export interface LocalRuntime {
  origin: string;
  /** wrangler dev, in this process's group: killing the group kills the runtime with it. */
  process: ChildProcess;
  crons: CronDriver;
  /** Resolves with wrangler dev's exit code (null when a signal ended it); the crons stop with it. */
  exited: Promise<number | null>;
  /** Stops the crons and sends `signal` to wrangler dev; resolves when it has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `wrangler dev --test-scheduled` on 127.0.0.1:`port` and the cron driver against it. Assumes
 * prepareLocalState has run; rejects when the port is taken.
 *
 * @example
 * const rt = await startLocalRuntime({ root, port: 8797, cronLog });
 * await rt.crons.started; // the server answers and maintenance ran once
 * await rt.stop();
 */
export async function startLocalRuntime(o: LocalRuntimeOptions): Promise<LocalRuntime> {
  const origin = `http://127.0.0.1:${o.port}`;
  const schedule = cronsOf(o.root);
  await assertPortFree(o.port);
  const child = spawn(
    "wrangler",
    [
      "dev",
      "--port",
      String(o.port),
      "--ip",
      "127.0.0.1",
      "--test-scheduled",
      ...faultsVar(process.env, devVars(o.root)),
      ...extraVars(process.env.CROSSDOCK_VARS),
      ...persist(),
    ],
    { cwd: o.root, env: { ...process.env, ...OFFLINE_ENV }, stdio: o.stdio ?? "inherit" },
  );
  const crons = startCronDriver({ crons: schedule, origin, log: o.cronLog });
  const exited = new Promise<number | null>((resolve) => {
    child.on("exit", (code) => {
      crons.stop();
      resolve(code);
    });
  });
  return {
    origin,
    process: child,
    crons,
    exited,
    stop(signal = "SIGTERM") {
      crons.stop();
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
