/**
 * `npm run gameday -- crash`: a Jepsen-style crash test. Starts Crossdock as `npm start` does (own
 * port, own state directory), drives a mixed load through the public API, kills the whole runtime
 * with SIGKILL at seeded random moments and restarts it, then — without touching anything that moves
 * work — waits for quiescence and checks the history against the final state. Exit 1 on any violation.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { stepLogger } from "../../bench/lib/cli";
import { mulberry32 } from "../../scripts/demo-data/prng";
import { devVars } from "../../scripts/local-runtime";
import { castActors } from "../lib/actors";
import { checkHistory } from "../lib/check";
import { ApiClient } from "../lib/client";
import { readRetries, seriesOf } from "../lib/figures";
import { readFinalState } from "../lib/final-state";
import { checkerChecks, commit, publishReport } from "../lib/gameday";
import { History } from "../lib/history";
import { LoadDriver, type LoadPlanOptions, planLoad, titleToken } from "../lib/load";
import { OpsClient } from "../lib/ops";
import { Prober, probeRequests } from "../lib/probe";
import { type QuiescenceOptions, recoveryTimes, waitForQuiescence } from "../lib/quiescence";
import { findingExamples, flowTable, invariantTable, quiescenceLine, recoveryTable } from "../lib/report";
import type { GamedayReport, Window } from "../lib/report-model";
import { LocalRuntime, portInUse } from "../lib/runtime";
import { Sampler } from "../lib/sampler";
import { StateReader } from "../lib/state";

/**
 * The goal: every flow quiet within 30 s of the last restart, with no manual trigger. Measured
 * from the later of the last restart (healthy again) and the load's end, since work the load sends
 * after a restart is not recovery.
 */
const QUIET_GOAL_MS = 30_000;

const PROFILES = {
  /** The goal run: at least 5 kills and 500 orders. */
  full: {
    kills: 5,
    orders: 500,
    load: { buyers: 8, products: 12, importRows: 200, reports: 3, concurrency: 6 },
    quiescence: { settleMs: 30_000, stallMs: 90_000, timeoutMs: 600_000, pollMs: 2_000 },
  },
  /** A few minutes on 2 cores, for CI. */
  ci: {
    kills: 2,
    orders: 100,
    load: { buyers: 4, products: 8, importRows: 50, reports: 1, concurrency: 6 },
    quiescence: { settleMs: 20_000, stallMs: 60_000, timeoutMs: 300_000, pollMs: 2_000 },
  },
} satisfies Record<string, { kills: number; orders: number; load: object; quiescence: QuiescenceOptions }>;
type Profile = keyof typeof PROFILES;

export const usage = `npm run gameday -- crash [--profile full|ci] [--seed N] [--kills N] [--orders N] [--port N] [--concurrency N]
  env: GAMEDAY_PROFILE, GAMEDAY_SEED, GAMEDAY_KILLS, GAMEDAY_ORDERS, GAMEDAY_PORT (default 8788)`;

function settings(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      profile: { type: "string" },
      seed: { type: "string" },
      kills: { type: "string" },
      orders: { type: "string" },
      port: { type: "string" },
      concurrency: { type: "string" },
    },
  });
  const int = (name: string, raw: string | undefined, fallback: number, min: number) => {
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < min)
      throw new Error(`--${name} must be an integer ≥ ${min}, got '${raw}'`);
    return n;
  };
  const profileName = (values.profile ?? process.env.GAMEDAY_PROFILE ?? "full") as Profile;
  const profile = PROFILES[profileName];
  if (!profile)
    throw new Error(`unknown profile '${profileName}'; one of ${Object.keys(PROFILES).join(", ")}`);
  return {
    profile: profileName,
    seed: int("seed", values.seed ?? process.env.GAMEDAY_SEED, Math.floor(Math.random() * 2 ** 31), 0),
    kills: int("kills", values.kills ?? process.env.GAMEDAY_KILLS, profile.kills, 0),
    orders: int("orders", values.orders ?? process.env.GAMEDAY_ORDERS, profile.orders, 1),
    port: int("port", values.port ?? process.env.GAMEDAY_PORT, 8788, 1),
    concurrency: int("concurrency", values.concurrency, profile.load.concurrency, 1),
    load: profile.load,
    quiescence: profile.quiescence,
  };
}

export async function crash(args: string[]): Promise<number> {
  const root = join(import.meta.dirname, "..", "..");
  const cfg = settings(args);
  const log = stepLogger("gameday crash");
  const runDir = join(
    root,
    "gameday",
    ".results",
    `crash-${new Date().toISOString().replaceAll(":", "-")}-${cfg.seed}`,
  );
  mkdirSync(runDir, { recursive: true });
  log(
    `seed ${cfg.seed} (re-run with --seed ${cfg.seed}); profile ${cfg.profile}: ${cfg.kills} kills, ${cfg.orders} orders`,
  );
  if (await portInUse(cfg.port)) throw new Error(`port ${cfg.port} is taken; pass --port`);

  const runtime = new LocalRuntime({
    root,
    port: cfg.port,
    stateDir: join(runDir, "state"),
    logDir: runDir,
    seedProducts: 200,
    healthTimeoutMs: 240_000,
  });
  const onSignal = () => void runtime.kill().finally(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  // Declared out here so that a failed run stops their loops too (they would keep the process alive).
  let sampler: Sampler | undefined;
  let prober: Prober | undefined;
  try {
    log(`starting the runtime on ${runtime.url}, state in ${relative(root, runDir)}/state`);
    await runtime.start();
    const api = new ApiClient(runtime.url, { giveUpMs: 180_000, attemptTimeoutMs: 30_000 });
    const state = new StateReader(join(runDir, "state"));
    const history = new History();
    const plan: LoadPlanOptions = {
      seed: cfg.seed,
      orders: cfg.orders,
      ...cfg.load,
      concurrency: cfg.concurrency,
    };
    const driver = new LoadDriver(api, history, plan);

    const { actors, merchant, buyer, initialStock, initialViews } = await castActors(driver, state, plan);
    const secrets = devVars(root);
    const opsClient = await OpsClient.login(api, secrets.ADMIN_EMAIL ?? "", secrets.ADMIN_PASSWORD ?? "");
    const startedAt = Date.now();
    sampler = new Sampler(state, startedAt);
    prober = new Prober(api, probeRequests(buyer.token, actors.products[0]!));
    sampler.start();
    prober.start();

    const ops = planLoad(plan);
    const rnd = mulberry32(cfg.seed ^ 0x5eed);
    const killAt = Array.from({ length: cfg.kills }, () => Math.floor((0.1 + 0.8 * rnd()) * ops.length)).sort(
      (a, b) => a - b,
    );
    log(
      `load: ${ops.length} operations, ${cfg.concurrency} in flight; kills after operations ${killAt.join(", ")}`,
    );
    let done = 0;
    let loadOver = false;
    const faults = (async () => {
      for (const [i, at] of killAt.entries()) {
        while (done < at && !loadOver) await sleep(100);
        await sleep(Math.floor(rnd() * 1500));
        // No reads of the state files while the runtime is down: the first connection after a SIGKILL
        // replays the write-ahead log, and the restart's migrations must be that connection.
        await sampler?.stop();
        const killedAt = await runtime.kill();
        log(
          `kill #${i + 1} (SIGKILL to the process group) after ${done}/${ops.length} operations; restarting`,
        );
        const restartedAt = Date.now();
        const healthyAt = await runtime.start();
        sampler?.start();
        history.faults.push({ kill: i + 1, killedAt, restartedAt, healthyAt });
        log(`kill #${i + 1}: healthy again after ${((healthyAt - killedAt) / 1000).toFixed(1)} s`);
        // Some uptime before the next kill, so each restart gets to pick up work.
        await sleep(3_000);
      }
    })();
    const load = driver
      .run(ops, actors, (d, total) => {
        done = d;
        if (d % 50 === 0 || d === total) log(`${d}/${total} operations answered`);
      })
      .finally(() => {
        loadOver = true;
      });
    await Promise.all([load, faults]);
    const loadEndedAt = Date.now();

    log("load over; waiting for quiescence (no operator action)");
    const quiet = await waitForQuiescence(state, cfg.quiescence, log);
    log(quiescenceLine(quiet));
    const final = await readFinalState(state, api, {
      products: [...new Set([...actors.products, ...actors.eventProducts])],
      merchantId: merchant.user.id,
      eventIdPrefix: `gd-${cfg.seed}-ev-`,
      titleToken: titleToken(cfg.seed),
    });
    const result = checkHistory(history, final, { initialStock, initialViews });
    await Promise.all([sampler.stop(), prober.stop()]);
    const recoveries = recoveryTimes(history, state);

    console.log(
      `\nCrash test, seed ${cfg.seed}, ${history.faults.length} kills, ${cfg.orders} orders planned\n`,
    );
    console.log(
      `${flowTable(result)}\n\n${invariantTable(result)}\n\nRecovery per restart\n\n${recoveryTable(recoveries)}\n`,
    );
    const lastHealthyAt = Math.max(0, ...history.faults.map((f) => f.healthyAt));
    const quietAfterMs = loadEndedAt + quiet.lastChangeAfterMs - Math.max(lastHealthyAt, loadEndedAt);
    const goalMet = quiet.verdict === "quiescent" && quietAfterMs <= QUIET_GOAL_MS;
    console.log(
      `Quiescence: ${quiescenceLine(quiet)}; outbox unpublished ${final.outboxUnpublished}, dead letters ${final.deadLetters}`,
    );
    console.log(
      `Last change ${(quietAfterMs / 1000).toFixed(1)} s after the last restart and the load's end (goal ≤ ${QUIET_GOAL_MS / 1000} s): ${goalMet ? "met" : "**not met**"}`,
    );
    if (result.findings.length > 0)
      console.log(`\nViolations (${result.findings.length}):\n${findingExamples(result.findings)}`);
    const reportFile = join(runDir, "report.json");
    writeFileSync(
      reportFile,
      `${JSON.stringify({ settings: cfg, loadEndedAt, quiescence: { ...quiet, quietAfterMs, goalMet }, faults: history.faults, recoveries, ...result, initialStock, history: history.ops }, null, 2)}\n`,
    );
    log(`history and recoveries: ${relative(root, reportFile)}; runtime logs and state beside it`);

    // The same report as every other game day: kills are its fault windows.
    const endedAt = Date.now();
    const checks = [
      ...checkerChecks(result, quiet),
      {
        name: "every flow quiet within 30 s of the last restart",
        expected: `last change ≤ ${QUIET_GOAL_MS / 1000} s after the last restart and the load's end`,
        actual: `${(quietAfterMs / 1000).toFixed(1)} s`,
        held: goalMet,
      },
    ];
    const kills: Window[] = history.faults.map((f) => ({
      label: `kill #${f.kill}`,
      from: f.killedAt,
      to: f.healthyAt,
    }));
    const report: GamedayReport = {
      id: `crash-${new Date(startedAt)
        .toISOString()
        .replaceAll(":", "-")
        .replace(/\.\d+Z$/, "Z")}-${cfg.seed}`,
      scenario: "crash",
      seed: cfg.seed,
      commit: commit(),
      startedAt,
      endedAt,
      hypothesis:
        "Killing the whole runtime with SIGKILL at random moments under mixed load loses nothing that was acknowledged, does nothing twice, and every flow is quiet within 30 s of the last restart without an operator.",
      steadyState: "A mixed load (orders, sign-ups, analytics, an import, reports) answered and processed.",
      method: [
        `Drive ${cfg.orders} orders and the rest of the mixed load through the public API, ${cfg.concurrency} in flight.`,
        `SIGKILL the runtime's process group ${cfg.kills} times at seeded moments; restart it as npm start does.`,
        "Wait for quiescence without any operator action; check the history against the final state.",
      ],
      abortCondition: "The runtime does not come back healthy within 240 s of a restart.",
      rollback:
        "None needed: no fault is left behind; the runtime is stopped and its state kept for inspection.",
      verdict: checks.every((c) => c.held) ? "held" : "failed",
      checks,
      phases: [
        { label: "load", from: startedAt, to: loadEndedAt },
        { label: "quiescence", from: loadEndedAt, to: endedAt },
      ],
      faults: kills,
      series: seriesOf(sampler.samples, prober.results),
      phaseFigures: [],
      flows: result.flows,
      invariants: result.invariants,
      findings: result.findings,
      retries: readRetries(state, startedAt),
      deadLetters: null,
      timeToRecoverMs: quietAfterMs,
      cost: null,
      notes: [
        `Recovery per restart:\n\n${recoveryTable(recoveries)}`,
        `Runtime logs, state and the full history: ${relative(root, runDir)}/.`,
      ],
    };
    await publishReport(report, join(root, "gameday", "reports", report.id), opsClient, log);
    return report.verdict === "held" ? 0 : 1;
  } finally {
    await Promise.all([sampler?.stop(), prober?.stop(), runtime.stop()]);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
