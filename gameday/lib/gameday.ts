/**
 * The game-day runner every scenario shares: it brings up (or attaches to) a Crossdock, casts the
 * actors, samples the backbone and probes the synchronous routes for the whole run, hands the scenario
 * a context to drive its phases and faults, and — whatever happens, abort or crash of the harness
 * included — rolls back (clears every fault). Then it waits for quiescence, holds the history against
 * the final state with the crash test's checker, writes the report (Markdown, HTML, JSON) to
 * gameday/reports/<run>/, records the run at POST /ops/gamedays, and exits non-zero unless the
 * hypothesis held with nothing lost or duplicated.
 */

import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { stepLogger } from "../../bench/lib/cli";
import { isBenchOutput } from "../../bench/lib/outputs";
import { devVars } from "../../scripts/local-runtime";
import { type Cast, castActors } from "./actors";
import { type CheckResult, checkHistory } from "./check";
import { ApiClient } from "./client";
import { runCost } from "./cost";
import { AbortedError, FaultSession } from "./fault-session";
import { phaseFigures, readLags, readRetries, seriesOf } from "./figures";
import { readFinalState } from "./final-state";
import { History } from "./history";
import { LoadDriver, type LoadPlanOptions, planLoad, signupEmail, titleToken } from "./load";
import { type Fault, type FaultSpec, OpsClient } from "./ops";
import { Prober, probeRequests } from "./probe";
import { type Quiescence, type QuiescenceOptions, waitForQuiescence } from "./quiescence";
import {
  checkerTotals,
  exitCodeOf,
  type GamedayReport,
  gamedayRecord,
  type HypothesisCheck,
  type Verdict,
  type Window,
} from "./report-model";
import { writeReport } from "./report-render";
import { LocalRuntime, portInUse } from "./runtime";
import { Sampler } from "./sampler";
import { StateReader } from "./state";

export type ProfileName = "full" | "ci";

export interface ScenarioDefinition<P> {
  name: string;
  summary: string;
  hypothesis: string;
  steadyState: string;
  method: string[];
  abortCondition: string;
  rollback: string;
  profiles: Record<ProfileName, P>;
  /** The load's shape (seed and pace are the runner's). */
  load(p: P): Omit<LoadPlanOptions, "seed">;
  /** Drives the phases; returns the hypothesis checks and what only it knows. */
  run(ctx: GamedayContext, p: P): Promise<ScenarioOutcome>;
  /** Which of its phases are "steady", "during" and "after" in the report's figures. */
  figurePhases: [string, string, string | null];
  /** Worker variables for a runtime the harness starts (never applied to an attached one). */
  vars?: Record<string, string>;
}

export interface ScenarioOutcome {
  checks: HypothesisCheck[];
  timeToRecoverMs: number | null;
  deadLetters?: GamedayReport["deadLetters"];
  notes?: string[];
}

export interface GamedayContext {
  seed: number;
  runId: string;
  log: (m: string) => void;
  api: ApiClient;
  ops: OpsClient;
  state: StateReader;
  history: History;
  driver: LoadDriver;
  cast: Cast;
  plan: LoadPlanOptions;
  sampler: Sampler;
  prober: Prober;
  /** Aborted when the abort condition holds; every wait in a scenario should honour it. */
  signal: AbortSignal;
  /** The scenario's own abort condition holds: stop, roll back, report "aborted". */
  abort(reason: string): void;
  /** Starts a named phase (ending the previous one). */
  phase(name: string): void;
  phases: Window[];
  /** Sets a fault and opens its window on the charts. */
  inject(spec: FaultSpec, seconds: number, label: string): Promise<Fault>;
  /** Clears one fault early and closes its window. */
  clear(fault: Fault): Promise<void>;
  /**
   * Starts the run's one mixed load (`orders` orders plus the sign-ups, event batches, reports and
   * imports planLoad mixes in) at `opsPerSecond`; resolves when all is answered or the run aborts.
   * Once per run: the plan's idempotency keys and sign-up addresses are numbered from the seed.
   */
  startLoad(opsPerSecond: number, orders: number): Promise<void>;
  /** Polls `predicate` every `everyMs` until it holds (returns the time) or `timeoutMs` passes (null). */
  waitFor(predicate: () => boolean, timeoutMs: number, everyMs?: number): Promise<number | null>;
  /** Sleeps, or throws AbortedError when the run is aborted meanwhile. */
  sleep(ms: number): Promise<void>;
}

const ROOT = join(import.meta.dirname, "..", "..");

export function commit(): string {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT }).toString().trim();
    // The benchmark's own outputs do not make the code dirty: bench:all writes them between its steps.
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: ROOT })
      .toString()
      .split("\n")
      .filter((l) => l.trim() !== "" && !isBenchOutput(l.slice(3)));
    return dirty.length > 0 ? `${sha}-dirty` : sha;
  } catch {
    return "unknown";
  }
}

export const COMMON_USAGE = `[--profile full|ci] [--seed N] [--port N] [--url URL --state DIR] [--gate hypothesis|effects]
    Starts its own runtime (like npm start, own port and state under gameday/.results/) unless --url
    names a running Crossdock (e.g. npm start: --url http://127.0.0.1:8787 --state .wrangler/state).
    Exit 1 when the hypothesis fails (--gate effects: only when an effect was lost, duplicated or
    unexpected, or the runtime did not come to rest; what CI uses, since timings on a shared machine vary).`;

interface Settings {
  profile: ProfileName;
  seed: number;
  port: number;
  url: string | null;
  stateDir: string | null;
  gate: "hypothesis" | "effects";
}

function settings(args: string[]): Settings {
  const { values } = parseArgs({
    args,
    options: {
      profile: { type: "string" },
      seed: { type: "string" },
      port: { type: "string" },
      url: { type: "string" },
      state: { type: "string" },
      gate: { type: "string" },
    },
  });
  const gate = values.gate ?? "hypothesis";
  if (gate !== "hypothesis" && gate !== "effects")
    throw new Error(`--gate is hypothesis or effects, not '${gate}'`);
  const profile = (values.profile ?? process.env.GAMEDAY_PROFILE ?? "full") as ProfileName;
  if (profile !== "full" && profile !== "ci") throw new Error(`unknown profile '${profile}'; full or ci`);
  const int = (name: string, raw: string | undefined, fallback: number) => {
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < 0)
      throw new Error(`--${name} must be a non-negative integer, got '${raw}'`);
    return n;
  };
  if (values.url && !values.state)
    throw new Error(
      "--url needs --state: the checker reads the runtime's state files (npm start: .wrangler/state)",
    );
  return {
    profile,
    seed: int("seed", values.seed ?? process.env.GAMEDAY_SEED, Math.floor(Math.random() * 2 ** 31)),
    port: int("port", values.port ?? process.env.GAMEDAY_PORT, 8789),
    url: values.url ?? null,
    stateDir: values.state ?? null,
    gate,
  };
}

const QUIESCENCE: Record<ProfileName, QuiescenceOptions> = {
  full: { settleMs: 15_000, stallMs: 90_000, timeoutMs: 600_000, pollMs: 2_000 },
  ci: { settleMs: 10_000, stallMs: 60_000, timeoutMs: 300_000, pollMs: 2_000 },
};

/** How long the runtime may fail its health check before the run is aborted. */
const UNHEALTHY_ABORT_MS = 30_000;

export async function runGameday<P>(def: ScenarioDefinition<P>, args: string[]): Promise<number> {
  const cfg = settings(args);
  const p = def.profiles[cfg.profile];
  const log = stepLogger(`gameday ${def.name}`);
  const startedAt = Date.now();
  const runId = `${def.name}-${new Date(startedAt)
    .toISOString()
    .replaceAll(":", "-")
    .replace(/\.\d+Z$/, "Z")}-${cfg.seed}`;
  const runDir = join(ROOT, "gameday", ".results", runId);
  const reportDir = join(ROOT, "gameday", "reports", runId);
  mkdirSync(runDir, { recursive: true });
  log(`seed ${cfg.seed} (re-run with --seed ${cfg.seed}); profile ${cfg.profile}`);

  let runtime: LocalRuntime | null = null;
  let url = cfg.url;
  let stateDir = cfg.stateDir ? join(process.cwd(), cfg.stateDir) : join(runDir, "state");
  if (!url) {
    if (await portInUse(cfg.port)) throw new Error(`port ${cfg.port} is taken; pass --port`);
    runtime = new LocalRuntime({
      root: ROOT,
      port: cfg.port,
      stateDir,
      logDir: runDir,
      seedProducts: 200,
      healthTimeoutMs: 240_000,
      vars: def.vars,
    });
    log(`starting the runtime on ${runtime.url}, state in ${relative(ROOT, stateDir)}`);
    await runtime.start();
    url = runtime.url;
  } else {
    stateDir = cfg.stateDir!.startsWith("/") ? cfg.stateDir! : join(process.cwd(), cfg.stateDir!);
    log(`attached to ${url}, reading state from ${stateDir}`);
  }

  const api = new ApiClient(url, { giveUpMs: 120_000, attemptTimeoutMs: 30_000 });
  const secrets = devVars(ROOT);
  const admin = {
    email: process.env.GAMEDAY_ADMIN_EMAIL ?? secrets.ADMIN_EMAIL ?? "",
    password: process.env.GAMEDAY_ADMIN_PASSWORD ?? secrets.ADMIN_PASSWORD ?? "",
  };
  let ops: OpsClient | null = null;
  let session: FaultSession | null = null;
  const rollback = async () => {
    await session?.rollback();
  };
  const onSignal = () => {
    void rollback()
      .then(() => runtime?.kill())
      .finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  const abort = new AbortController();
  let abortReason: string | undefined;
  const abortWith = (reason: string) => {
    if (abort.signal.aborted) return;
    abortReason = reason;
    log(`ABORT: ${reason}`);
    abort.abort(new AbortedError(reason));
  };

  try {
    ops = await OpsClient.login(api, admin.email, admin.password);
    session = new FaultSession(ops, log);
    const faults = session;
    const enabled = await ops.faults();
    if (!enabled.enabled)
      throw new Error(`${url} has fault injection off: set FAULTS_ENABLED = "true" (npm start sets it)`);
    // A fault left by an earlier, interrupted run would skew this one.
    await ops.clearAllFaults();

    const state = new StateReader(stateDir);
    const history = new History();
    const plan: LoadPlanOptions = { seed: cfg.seed, ...def.load(p) };
    const driver = new LoadDriver(api, history, plan);
    // Before the actors sign up: their welcome emails may be sent before castActors returns, and the
    // checker only reads mail sent since the run began.
    const since = Date.now();
    const cast = await castActors(driver, state, plan);
    const costsBefore = await ops.costs();
    const sampler = new Sampler(state, since);
    const prober = new Prober(api, probeRequests(cast.buyer.token, cast.actors.products[0]!));
    const phases: Window[] = [];
    let loadStarted = false;
    const ops_ = ops;
    const ctx: GamedayContext = {
      seed: cfg.seed,
      runId,
      log,
      api,
      ops: ops_,
      state,
      history,
      driver,
      cast,
      plan,
      sampler,
      prober,
      signal: abort.signal,
      abort: abortWith,
      phases,
      phase(name) {
        const now = Date.now();
        const last = phases.at(-1);
        if (last && last.to === Number.POSITIVE_INFINITY) last.to = now;
        phases.push({ label: name, from: now, to: Number.POSITIVE_INFINITY });
        log(`phase: ${name}`);
      },
      inject: (spec, seconds, label) => faults.inject(spec, seconds, label),
      clear: (fault) => faults.clear(fault),
      async startLoad(opsPerSecond, orders) {
        if (loadStarted) throw new Error("startLoad: one load per run");
        loadStarted = true;
        const load = planLoad({ ...plan, orders });
        log(`load: ${load.length} operations at ${opsPerSecond}/s`);
        const paced = new LoadDriver(api, history, { ...plan, opsPerSecond });
        await paced.run(
          load,
          cast.actors,
          (d, total) => {
            if (d % 100 === 0 || d === total) log(`${d}/${total} operations answered`);
          },
          abort.signal,
        );
      },
      async waitFor(predicate, timeoutMs, everyMs = 1000) {
        const deadline = Date.now() + timeoutMs;
        while (Date.now() < deadline) {
          if (abort.signal.aborted) throw abort.signal.reason;
          if (predicate()) return Date.now();
          await sleep(everyMs);
        }
        return null;
      },
      async sleep(ms) {
        try {
          await sleep(ms, undefined, { signal: abort.signal });
        } catch {
          throw abort.signal.reason;
        }
      },
    };

    sampler.start();
    prober.start();
    // The generic abort condition: the runtime stops answering its health check for too long.
    let unhealthySince: number | null = null;
    const watchdog = setInterval(() => {
      void fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) })
        .then((r) => r.status === 200)
        .catch(() => false)
        .then((ok) => {
          if (ok) unhealthySince = null;
          else if (unhealthySince === null) unhealthySince = Date.now();
          else if (Date.now() - unhealthySince > UNHEALTHY_ABORT_MS)
            abortWith(`the runtime failed its health check for over ${UNHEALTHY_ABORT_MS / 1000} s`);
        });
    }, 2000);

    const ran = await faults.run(() => def.run(ctx, p)).finally(() => clearInterval(watchdog));
    const outcome: ScenarioOutcome = "value" in ran ? ran.value : { checks: [], timeToRecoverMs: null };

    log("waiting for quiescence (no operator action)");
    const quiet = await waitForQuiescence(state, QUIESCENCE[cfg.profile], log);
    await Promise.all([sampler.stop(), prober.stop()]);
    const endedAt = Date.now();
    const last = phases.at(-1);
    if (last && last.to === Number.POSITIVE_INFINITY) last.to = endedAt;

    const final = await readFinalState(state, api, {
      products: [...new Set([...cast.actors.products, ...cast.actors.eventProducts])],
      merchantId: cast.merchant.user.id,
      eventIdPrefix: `gd-${cfg.seed}-`,
      titleToken: titleToken(cfg.seed),
      since,
      signupPrefix: signupEmail(cfg.seed, 0).replace(/0@.*$/, ""),
    });
    const result = checkHistory(history, final, {
      initialStock: cast.initialStock,
      initialViews: cast.initialViews,
    });
    const consumers = Object.keys(sampler.latest()?.consumers ?? {});
    const byName = (name: string | null) => (name ? (phases.find((w) => w.label === name) ?? null) : null);
    const [steadyName, duringName, afterName] = def.figurePhases;
    const steady = byName(steadyName);
    const during = byName(duringName);
    const lags = readLags(state, since);
    const effects = checkerChecks(result, quiet);
    const checks = [...outcome.checks, ...effects];
    const verdict: Verdict = abortReason ? "aborted" : checks.every((c) => c.held) ? "held" : "failed";
    const report: GamedayReport = {
      id: runId,
      scenario: def.name,
      seed: cfg.seed,
      commit: commit(),
      startedAt,
      endedAt,
      hypothesis: def.hypothesis,
      steadyState: def.steadyState,
      method: def.method,
      abortCondition: def.abortCondition,
      rollback: def.rollback,
      verdict,
      ...(abortReason ? { abortReason } : {}),
      checks,
      phases,
      faults: faults.windows,
      series: seriesOf(sampler.samples, prober.results),
      phaseFigures:
        steady && during
          ? phaseFigures(sampler.samples, lags, (r, w) => prober.p99(r, w.from, w.to), consumers, [
              steady,
              during,
              byName(afterName),
            ])
          : [],
      flows: result.flows,
      invariants: result.invariants,
      findings: result.findings,
      retries: readRetries(state, since),
      deadLetters: outcome.deadLetters ?? null,
      timeToRecoverMs: outcome.timeToRecoverMs,
      cost: runCost(costsBefore, await ops_.costs()),
      notes: [
        ...(outcome.notes ?? []),
        `Quiescence: ${quiet.verdict} after ${(quiet.waitedMs / 1000).toFixed(1)} s of waiting; outbox unpublished ${final.outboxUnpublished}, dead letters waiting ${final.deadLetters}.`,
        runtime
          ? `Runtime: started by the harness (${runtime.url}), logs and state in ${relative(ROOT, runDir)}/.`
          : `Runtime: attached to ${url}.`,
      ],
    };
    await publishReport(report, reportDir, ops, log);
    log(`verdict: ${verdict}; report: ${relative(ROOT, reportDir)}/report.html (and .md, .json)`);
    if (cfg.gate === "effects") return !abortReason && effects.every((c) => c.held) ? 0 : 1;
    return exitCodeOf(report);
  } finally {
    await rollback();
    await runtime?.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** What every game day holds besides its own hypothesis: the checker found nothing, and all came to rest. */
export function checkerChecks(result: CheckResult, quiet: Quiescence): HypothesisCheck[] {
  const t = checkerTotals({ flows: result.flows });
  return [
    {
      name: "nothing lost, duplicated or unexpected (the checker)",
      expected: "0 / 0 / 0",
      actual: `${t.lost} / ${t.duplicated} / ${t.unexpected}`,
      held: result.findings.length === 0,
    },
    {
      name: "the runtime came to rest",
      expected: "quiescent",
      actual: `${quiet.verdict} (${quiet.nonTerminalOrders} orders not terminal, ${quiet.owedDeliveries} deliveries owed)`,
      held: quiet.verdict === "quiescent",
    },
  ];
}

/**
 * Writes report.md, report.html and report.json to `dir`, prints the Markdown, and records the run at
 * POST /ops/gamedays of the Crossdock it ran against (a failure to record is logged, not fatal: the
 * files are the report).
 */
export async function publishReport(
  report: GamedayReport,
  dir: string,
  ops: OpsClient,
  log: (m: string) => void,
): Promise<void> {
  const { markdown } = writeReport(dir, report);
  console.log(`\n${markdown}`);
  try {
    await ops.recordRun(gamedayRecord(report, markdown, relative(ROOT, join(dir, "report.html"))));
  } catch (err) {
    log(`could not record the run at /ops/gamedays: ${(err as Error).message}`);
  }
}
