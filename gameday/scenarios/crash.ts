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
import { checkHistory } from "../lib/check";
import { ApiClient } from "../lib/client";
import { readFinalState } from "../lib/final-state";
import { History } from "../lib/history";
import { type Actors, DEMO, LoadDriver, type LoadPlanOptions, planLoad, titleToken } from "../lib/load";
import { type QuiescenceOptions, recoveryTimes, waitForQuiescence } from "../lib/quiescence";
import { findingExamples, flowTable, invariantTable, quiescenceLine, recoveryTable } from "../lib/report";
import { LocalRuntime, portInUse } from "../lib/runtime";
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

    const merchant = await driver.login(DEMO.merchant, DEMO.password);
    const demoBuyer = await driver.login(DEMO.buyer, DEMO.password);
    const buyers = [{ id: demoBuyer.user.id, token: demoBuyer.token }];
    for (let n = 0; n < plan.buyers; n++) {
      const signup = await driver.signup(n);
      if (!signup.token || !signup.userId)
        throw new Error(`setup sign-up ${signup.email} failed: ${signup.note}`);
      buyers.push({ id: signup.userId, token: signup.token });
    }
    const stocked = state.d1<{ id: string; stock: number }>(
      "SELECT id, stock FROM products WHERE stock >= 100 ORDER BY id LIMIT ?",
      [plan.products],
    );
    if (stocked.length < plan.products)
      throw new Error(`only ${stocked.length} seeded products have stock ≥ 100`);
    const own = state.d1<{ id: string }>(
      "SELECT id FROM products WHERE merchant_id = ? ORDER BY id LIMIT ?",
      [merchant.user.id, plan.products],
    );
    if (own.length === 0) throw new Error("the demo merchant has no seeded product to report events on");
    const actors: Actors = {
      merchantToken: merchant.token,
      buyers,
      products: stocked.map((p) => p.id),
      eventProducts: own.map((p) => p.id),
    };
    const initialStock = Object.fromEntries(stocked.map((p) => [p.id, p.stock]));

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
        const killedAt = await runtime.kill();
        log(
          `kill #${i + 1} (SIGKILL to the process group) after ${done}/${ops.length} operations; restarting`,
        );
        const restartedAt = Date.now();
        const healthyAt = await runtime.start();
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
    const result = checkHistory(history, final, { initialStock });
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
    log(`report: ${relative(root, reportFile)}; runtime logs and state beside it`);
    return result.findings.length === 0 && goalMet ? 0 : 1;
  } finally {
    await runtime.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
