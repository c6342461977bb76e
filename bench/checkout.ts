/**
 * `npm run bench:checkout`: the checkout pipeline against its two floors, in one Miniflare running the
 * production bundle (queues, Durable Objects and alarms included) and a bench-only floor worker
 * (bench/checkout/floor.ts) bound to the same D1, queues and objects.
 *
 * Each round: BENCH_ORDERS placements through `POST /v1/orders` and as many through the placement floor,
 * in alternating chunks of BENCH_CHECKOUT_CHUNK at BENCH_CHECKOUT_CONCURRENCY in flight, while the
 * placed orders' sagas run; then the wait until every order is terminal, with where each order's time
 * went; then the pipeline floor (the same steps back to back, no queue, no alarm) for the floor's
 * orders. Settings: BENCH_ORDERS (1000), BENCH_CHECKOUT_CONCURRENCY (64), BENCH_CHECKOUT_CHUNK (100),
 * BENCH_CHECKOUT_ROUNDS (3), BENCH_CHECKOUT_TIMEOUT_SEC (120), BENCH_D1_SHARDS (1: how many local D1
 * databases sit behind the shard seam, src/platform/db/shards.ts), BENCH_PROFILE ("paused": a V8 CPU
 * profile of workerd over the first round's paused phase; "round": over its placements and sagas; to
 * bench/.results/profile-checkout.cpuprofile, summarised on stdout; the inspector slows workerd, so
 * such a run's figures are not published). A run with fewer orders or rounds than the defaults is a
 * smoke run: its section goes to bench/.results/ only, e.g. `BENCH_ORDERS=100 BENCH_CHECKOUT_ROUNDS=1`.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { newSessionToken } from "../src/flows/accounts/tokens";
import "../src/flows";
import { ApiClient } from "../gameday/lib/client";
import { OpsClient } from "../gameday/lib/ops";
import { FORWARD_STEPS } from "../src/flows/checkout/steps";
import { sha256Hex } from "../src/platform/encoding/sha256";
import { topology } from "../src/platform/events/registry";
import { FAULT_CACHE_MS } from "../src/platform/faults/client";
import { newId } from "../src/platform/ids";
import { untilIdle } from "./chain/process";
import type { FloorOrder } from "./checkout/floor";
import { hopTable, type OrderTimes } from "./checkout/hops";
import { type CheckoutReport, checkoutSection, type Round, TARGETS, verdicts } from "./checkout/report";
import { buildBenchWorker, buildCrossdock } from "./lib/build";
import { intEnv, runMain, stepLogger } from "./lib/cli";
import { CHECKOUT_MARKERS, readIfExists, withSection } from "./lib/doc-sections";
import { judgeLoad, loadGuardSettings } from "./lib/load-guard";
import { machineFacts } from "./lib/machine";
import { f0, f1, timesWithInterval } from "./lib/markdown";
import { applyMigrations } from "./lib/migrations";
import { sampleOutsideLoad } from "./lib/outside-load";
import { type Profile, startProfiler, summariseProfile } from "./lib/profiler";
import { queryDb } from "./lib/query-db";
import { benchQuoteLine } from "./lib/quote-line";
import {
  type CrossdockRuntime,
  crossdockWorkerOptions,
  startCrossdockRuntime,
  withCrossdockBindings,
} from "./lib/runtime";
import { distribution } from "./lib/stats";

process.env.WRANGLER_SEND_METRICS ??= "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";

const root = join(import.meta.dirname, "..");
const log = stepLogger("checkout");
const INSPECTOR_PORT = 9_332;

function profileOf(value: string | undefined): "paused" | "round" | undefined {
  if (value === undefined || value === "") return undefined;
  if (value === "paused" || value === "round") return value;
  throw new Error(`BENCH_PROFILE must be "paused" or "round", not ${JSON.stringify(value)}`);
}

/** The defaults a published run uses; fewer orders or rounds make a smoke run. */
const DEFAULTS = { orders: 1000, rounds: 3 } as const;

export const config = {
  orders: intEnv("BENCH_ORDERS", DEFAULTS.orders),
  concurrency: intEnv("BENCH_CHECKOUT_CONCURRENCY", 64),
  chunk: intEnv("BENCH_CHECKOUT_CHUNK", 100),
  rounds: intEnv("BENCH_CHECKOUT_ROUNDS", DEFAULTS.rounds),
  terminalTimeoutSec: intEnv("BENCH_CHECKOUT_TIMEOUT_SEC", 120),
  shards: intEnv("BENCH_D1_SHARDS", 1),
  profile: profileOf(process.env.BENCH_PROFILE),
  sandboxSlowMs: 1000,
  placedSubscribers: topology().subscriptions["order.placed"].length,
  products: 50,
  warmupOrders: 0,
  paymentMethod: "pm_card_visa",
};
config.warmupOrders = Math.min(100, Math.ceil(config.orders / 10));
/** Fewer orders or rounds than the defaults: a smoke run, whose section goes to bench/.results/ only. */
const smoke = config.orders < DEFAULTS.orders || config.rounds < DEFAULTS.rounds;
const TERMINAL = new Set(["confirmed", "cancelled", "refunded"]);

interface Buyer {
  userId: string;
  token: string;
}

async function seed(db: D1Database, buyers: number, products: number) {
  const now = Date.now();
  const merchantId = newId("usr", now);
  const statements: D1PreparedStatement[] = [
    db
      .prepare(
        "INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, 'merchant', NULL, ?)",
      )
      .bind(merchantId, `${merchantId}@bench.crossdock`, "Bench merchant", now),
  ];
  const productIds: string[] = [];
  for (let i = 0; i < products; i++) {
    const id = newId("prd", now);
    productIds.push(id);
    statements.push(
      db
        .prepare(
          `INSERT INTO products (id, merchant_id, sku, title, description, category, price_minor, currency, stock, created_at, updated_at)
           VALUES (?, ?, ?, ?, 'A product for the checkout bench.', 'home', 1000, 'USD', 100000000, ?, ?)`,
        )
        .bind(id, merchantId, `SKU-CHK-${i}`, `Checkout bench product ${i}`, now - i, now - i),
    );
  }
  const insertUser = db.prepare(
    "INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, 'buyer', NULL, ?)",
  );
  const insertSession = db.prepare(
    "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
  );
  const seeded: Buyer[] = [];
  for (let i = 0; i < buyers; i++) {
    const userId = newId("usr", now);
    const token = newSessionToken();
    statements.push(
      insertUser.bind(userId, `${userId}@bench.crossdock`, `Bench buyer ${i + 1}`, now),
      insertSession.bind(await sha256Hex(token), userId, now, now + 86_400_000),
    );
    seeded.push({ userId, token });
  }
  // An operator, who pauses and resumes the consumers (POST/DELETE /ops/faults).
  const admin = { userId: newId("usr", now), token: newSessionToken() };
  statements.push(
    db
      .prepare(
        "INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES (?, ?, 'Bench operator', 'admin', NULL, ?)",
      )
      .bind(admin.userId, `${admin.userId}@bench.crossdock`, now),
    insertSession.bind(await sha256Hex(admin.token), admin.userId, now, now + 86_400_000),
  );
  await db.batch(statements);
  return { buyers: seeded, productIds, admin };
}

/** One unexpired quote per buyer, one line each, as POST /v1/quotes would have priced it. */
async function seedQuotes(db: D1Database, buyers: Buyer[], productIds: string[]): Promise<string[]> {
  const now = Date.now();
  const insert = db.prepare(
    `INSERT INTO quotes (id, user_id, currency, ship_to_country, promo_code, lines, subtotal_minor, discount_minor,
       shipping_minor, tax_minor, total_minor, created_at, expires_at)
     VALUES (?, ?, 'USD', 'US', NULL, ?, 1000, 0, 500, 0, 1500, ?, ?)`,
  );
  const ids: string[] = [];
  const statements = buyers.map((b, i) => {
    const id = newId("qt", now);
    ids.push(id);
    const p = i % productIds.length;
    const lines = [benchQuoteLine(productIds[p]!, `Checkout bench product ${p}`)];
    return insert.bind(id, b.userId, JSON.stringify(lines), now, now + 3_600_000);
  });
  await db.batch(statements);
  return ids;
}

type Front = "crossdock" | "floor";

interface Placement {
  startedAt: number;
  latencyMs: number;
  status: number;
  orderId: string | null;
  error: string | null;
}

/** One buyer and quote per order; `front` says where it is placed. */
interface Job {
  buyer: Buyer;
  quoteId: string;
}

async function place(rt: CrossdockRuntime, front: Front, job: Job): Promise<Placement> {
  const startedAt = Date.now();
  const t0 = performance.now();
  let status = 0;
  let orderId: string | null = null;
  let error: string | null = null;
  try {
    const res =
      front === "crossdock"
        ? await fetch(new URL("/v1/orders", rt.url), {
            method: "POST",
            headers: {
              authorization: `Bearer ${job.buyer.token}`,
              "content-type": "application/json",
              "idempotency-key": crypto.randomUUID(),
            },
            body: JSON.stringify({ quoteId: job.quoteId, paymentMethod: config.paymentMethod }),
          })
        : await fetch(new URL("/place", rt.extraUrls.floor), {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              userId: job.buyer.userId,
              quoteId: job.quoteId,
              paymentMethod: config.paymentMethod,
            }),
          });
    status = res.status;
    const body = (await res.json()) as { id?: string };
    if (res.status === 202 && body.id) orderId = body.id;
    else error = JSON.stringify(body).slice(0, 300);
  } catch (err) {
    error = (err as Error).message;
  }
  return { startedAt, latencyMs: performance.now() - t0, status, orderId, error };
}

/** `jobs` placed at `config.concurrency` in flight; the chunk's throughput and every latency. */
async function placeChunk(rt: CrossdockRuntime, front: Front, jobs: Job[]) {
  const results: Placement[] = new Array(jobs.length);
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    for (let i = next++; i < jobs.length; i = next++) results[i] = await place(rt, front, jobs[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(config.concurrency, jobs.length) }, worker));
  const wallMs = performance.now() - t0;
  return { results, wallMs, perSecond: (jobs.length / wallMs) * 1000 };
}

/** Through the runtime's query worker, never Miniflare's synchronous D1 proxy (see CrossdockRuntime). */
async function query<T>(rt: CrossdockRuntime, sql: string, params: unknown[]): Promise<T[]> {
  return (
    await queryDb(rt.queryUrl)
      .prepare(sql)
      .bind(...params)
      .all<T>()
  ).results;
}

interface OrderRowLite {
  id: string;
  quote_id: string;
  status: string;
}

const ordersOf = (rt: CrossdockRuntime, ids: string[]) =>
  query<OrderRowLite>(
    rt,
    "SELECT id, quote_id, status FROM orders WHERE id IN (SELECT value FROM json_each(?))",
    [JSON.stringify(ids)],
  );

interface TimesRow {
  id: string;
  created_at: number;
  updated_at: number;
  steps: string;
  outbox_at: number;
  published_at: number | null;
  consumed_at: number | null;
}

async function timesOf(rt: CrossdockRuntime, placements: Placement[]): Promise<OrderTimes[]> {
  const requestAt = new Map(placements.map((p) => [p.orderId!, p.startedAt]));
  const rows = await query<TimesRow>(
    rt,
    `SELECT o.id, o.created_at, o.updated_at, o.steps, ob.created_at AS outbox_at, ob.published_at,
       (SELECT MIN(ca.started_at) FROM consumer_attempts ca
         WHERE ca.event_id = ob.id AND ca.consumer = 'order-saga') AS consumed_at
     FROM orders o JOIN outbox ob ON ob.subject = o.id AND ob.type = 'order.placed'
     WHERE o.id IN (SELECT value FROM json_each(?))`,
    [JSON.stringify([...requestAt.keys()])],
  );
  return rows.map((r) => ({
    requestAt: requestAt.get(r.id)!,
    createdAt: r.created_at,
    outboxAt: r.outbox_at,
    publishedAt: r.published_at,
    consumedAt: r.consumed_at,
    updatedAt: r.updated_at,
    steps: JSON.parse(r.steps),
  }));
}

/** How many of these floor orders' `order.placed` reached any consumer (an attempt recorded for it). */
async function countFloorOrdersConsumed(rt: CrossdockRuntime, orderIds: string[]): Promise<number> {
  const [row] = await query<{ n: number }>(
    rt,
    `SELECT count(DISTINCT ob.subject) AS n FROM outbox ob JOIN consumer_attempts ca ON ca.event_id = ob.id
     WHERE ob.type = 'order.placed' AND ob.subject IN (SELECT value FROM json_each(?))`,
    [JSON.stringify(orderIds)],
  );
  return row?.n ?? 0;
}

const countBy = (values: string[]) => {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
};

async function waitForTerminal(rt: CrossdockRuntime, ids: string[], label: string) {
  const deadline = Date.now() + config.terminalTimeoutSec * 1000;
  for (;;) {
    const rows = await ordersOf(rt, ids);
    const terminal = rows.filter((r) => TERMINAL.has(r.status)).length;
    if ((rows.length >= ids.length && terminal === rows.length) || Date.now() > deadline) return rows;
    log(
      `${label}: ${terminal}/${rows.length} terminal ${JSON.stringify(countBy(rows.map((r) => r.status)))}`,
    );
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function pipelineFloor(rt: CrossdockRuntime, orderIds: string[]) {
  const t0 = Date.now();
  const res = await fetch(new URL("/pipeline", rt.extraUrls.floor), {
    method: "POST",
    signal: AbortSignal.timeout(config.terminalTimeoutSec * 1000),
    body: JSON.stringify({ orderIds }),
  });
  if (!res.ok) throw new Error(`pipeline floor failed: ${res.status} ${await res.text()}`);
  const { results } = (await res.json()) as { results: FloorOrder[] };
  const wallMs = Date.now() - t0;
  return { results, wallMs, toTerminal: distribution(results.map((r) => r.terminalAt - t0)) };
}

/**
 * Every consumer held by the operators' pause fault (POST /ops/faults, through the game days' client):
 * no saga, projection or email runs until the faults are cleared, so placements have workerd to
 * themselves. Waits until every isolate's cached copy of the faults (FAULT_CACHE_MS) has seen the pause.
 */
async function pauseConsumers(ops: OpsClient) {
  for (const consumer of Object.keys(topology().consumers))
    await ops.setFault({ kind: "pause", consumer }, 600);
  await new Promise((r) => setTimeout(r, FAULT_CACHE_MS + 500));
}

interface RoundJobs {
  /** Placed while every consumer is paused, before the round's other placements. */
  paused: Record<Front, Job[]>;
  /** Placed while the sagas run. */
  running: Record<Front, Job[]>;
}

/** One chunk per front with the background paused: what placement costs with workerd to itself. */
async function pausedPhase(rt: CrossdockRuntime, ops: OpsClient, jobs: Record<Front, Job[]>, label: string) {
  await pauseConsumers(ops);
  try {
    const crossdock = await placeChunk(rt, "crossdock", jobs.crossdock);
    const floor = await placeChunk(rt, "floor", jobs.floor);
    const latency = (c: typeof crossdock) => distribution(c.results.map((p) => p.latencyMs));
    const phase = {
      placement: { crossdock: latency(crossdock), floor: latency(floor) },
      perSecond: { crossdock: crossdock.perSecond, floor: floor.perSecond },
      results: { crossdock: crossdock.results, floor: floor.results },
    };
    log(
      `${label}: background paused: crossdock p50 ${f1(phase.placement.crossdock.p50)} p99 ${f1(phase.placement.crossdock.p99)} ms, ` +
        `floor p50 ${f1(phase.placement.floor.p50)} p99 ${f1(phase.placement.floor.p99)} ms`,
    );
    return phase;
  } finally {
    await ops.clearAllFaults();
  }
}

/** One round: placements interleaved with the floor's, the wait for terminal, then the pipeline floor. */
async function runRound(
  rt: CrossdockRuntime,
  ops: OpsClient,
  roundJobs: RoundJobs,
  label: string,
  profile?: "paused" | "round",
): Promise<Round> {
  const profiler = profile ? await startProfiler(INSPECTOR_PORT) : undefined;
  const paused = await pausedPhase(rt, ops, roundJobs.paused, label);
  if (profiler && profile === "paused") await writeProfile(await profiler.stop(), "paused phase");
  const jobs = roundJobs.running;
  const placed: Record<Front, Placement[]> = { crossdock: [], floor: [] };
  const pairs: { crossdock: number; floor: number }[] = [];
  const chunks = Math.ceil(jobs.crossdock.length / config.chunk);
  log(
    `${label}: placing ${jobs.crossdock.length} + ${jobs.floor.length} (floor) orders, ${config.concurrency} in flight`,
  );
  const wallStart = Date.now();
  for (let c = 0; c < chunks; c++) {
    const slice = (f: Front) => jobs[f].slice(c * config.chunk, (c + 1) * config.chunk);
    // Alternate which goes first, so drift within a pair does not always favour the same side.
    const order: Front[] = c % 2 === 0 ? ["crossdock", "floor"] : ["floor", "crossdock"];
    const pair = { crossdock: 0, floor: 0 };
    for (const f of order) {
      const chunk = await placeChunk(rt, f, slice(f));
      placed[f].push(...chunk.results);
      pair[f] = chunk.perSecond;
    }
    pairs.push(pair);
  }
  const placementWallMs = Date.now() - wallStart;
  const latency = (f: Front) => distribution(placed[f].map((p) => p.latencyMs));
  const accepted = placed.crossdock.filter((p) => p.orderId !== null);
  const failed = [...placed.crossdock, ...placed.floor].filter((p) => p.orderId === null);
  for (const p of failed.slice(0, 5)) log(`  failed: ${p.status} ${p.error}`);
  log(
    `${label}: placed in ${placementWallMs} ms; crossdock p50 ${f1(latency("crossdock").p50)} p99 ${f1(latency("crossdock").p99)} ms, ` +
      `floor p50 ${f1(latency("floor").p50)} p99 ${f1(latency("floor").p99)} ms`,
  );

  // The paused phase's orders wait for terminal too (their sagas run with the others), but their time to
  // terminal, which includes the pause, is left out of the distribution.
  const pausedAccepted = paused.results.crossdock.filter((p) => p.orderId !== null);
  const pausedFailed = [...paused.results.crossdock, ...paused.results.floor].filter(
    (p) => p.orderId === null,
  );
  const ids = [...accepted, ...pausedAccepted].map((p) => p.orderId!);
  const rows = await waitForTerminal(rt, ids, label);
  const terminalWallMs = Date.now() - wallStart;
  const times = await timesOf(rt, accepted);
  const toTerminal = distribution(times.map((t) => t.updatedAt - t.requestAt));
  const terminalRows = rows.filter((r) => TERMINAL.has(r.status));
  const checks = {
    expected: jobs.crossdock.length + roundJobs.paused.crossdock.length,
    accepted: accepted.length + pausedAccepted.length,
    ordersInDb: rows.length,
    uniqueOrderIds: new Set(rows.map((r) => r.id)).size,
    uniqueQuoteIds: new Set(rows.map((r) => r.quote_id)).size,
    allTerminal: rows.length > 0 && terminalRows.length === rows.length,
    byStatus: countBy(rows.map((r) => r.status)),
  };
  log(
    `${label}: to terminal p50 ${f0(toTerminal.p50)} ms p99 ${f0(toTerminal.p99)} ms ${JSON.stringify(checks)}`,
  );

  if (profiler && profile === "round") await writeProfile(await profiler.stop(), "placements and sagas");
  const floorIds = placed.floor.filter((p) => p.orderId !== null).map((p) => p.orderId!);
  log(`${label}: pipeline floor for ${floorIds.length} orders`);
  const floor = await pipelineFloor(rt, floorIds);
  const floorStatuses = countBy(floor.results.map((r) => r.status));
  log(
    `${label}: pipeline floor ${floor.wallMs} ms, p50 ${f0(floor.toTerminal.p50)} p99 ${f0(floor.toTerminal.p99)} ms ${JSON.stringify(floorStatuses)}`,
  );
  // The floor's orders are the pipeline floor's alone: none may have reached a consumer (a saga started
  // for one would run on the thread the measured pipeline runs on).
  const floorOrdersConsumed = await countFloorOrdersConsumed(rt, floorIds);
  if (floorOrdersConsumed > 0) log(`${label}: ${floorOrdersConsumed} floor orders reached a consumer`);
  const ok =
    floorOrdersConsumed === 0 &&
    checks.accepted === checks.expected &&
    checks.ordersInDb === checks.expected &&
    checks.uniqueOrderIds === checks.expected &&
    checks.uniqueQuoteIds === checks.expected &&
    checks.allTerminal &&
    failed.length === 0 &&
    pausedFailed.length === 0 &&
    floor.results.every((r) => TERMINAL.has(r.status));
  return {
    placementWallMs,
    terminalWallMs,
    pairs,
    placement: { crossdock: latency("crossdock"), floor: latency("floor") },
    paused: { placement: paused.placement, perSecond: paused.perSecond },
    toTerminal,
    hops: hopTable(times),
    floor: {
      wallMs: floor.wallMs,
      toTerminal: floor.toTerminal,
      effectMs: Object.fromEntries(
        FORWARD_STEPS.map((s) => [
          s,
          distribution(floor.results.map((r) => r.effectMs[s] ?? Number.NaN).filter(Number.isFinite)),
        ]),
      ),
      writeMs: distribution(floor.results.map((r) => r.writeMs)),
      statuses: floorStatuses,
    },
    checks: { ...checks, floorOrdersConsumed },
    ok,
  };
}

async function writeProfile(profile: Profile, what: string) {
  const out = join(root, "bench", ".results", "profile-checkout.cpuprofile");
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, JSON.stringify(profile));
  log(`CPU profile of round 1's ${what}: ${relative(root, out)}`);
  console.log(summariseProfile(profile, 60));
}

async function main(): Promise<number> {
  const machine = machineFacts(root);
  const wranglerToml = join(root, "wrangler.toml");
  const tmp = await mkdtemp(join(tmpdir(), "crossdock-checkout-"));
  let rt: CrossdockRuntime | undefined;
  try {
    log("building the production bundle and the floor worker (wrangler deploy --dry-run)");
    const { options, compat, assetsDirectory } = crossdockWorkerOptions(wranglerToml);
    const bundle = await buildCrossdock(root, join(tmp, "crossdock"), assetsDirectory);
    const floorBundle = await buildBenchWorker(
      root,
      join(tmp, "floor"),
      compat,
      join("bench", "checkout", "wrangler.toml"),
      "bench/checkout/floor.ts",
    );
    // FAULTS_ENABLED: the paused phase holds the consumers with the operators' pause fault. Its cost on
    // the rest of the run is one fault-store read per isolate per FAULT_CACHE_MS.
    const vars = { SANDBOX_SLOW_MS: String(config.sandboxSlowMs), FAULTS_ENABLED: "true" };
    const errors: string[] = [];
    rt = await startCrossdockRuntime(
      wranglerToml,
      bundle,
      vars,
      (message) => {
        if (errors.length < 20) errors.push(message.slice(0, 500));
        console.error(`[workerd error] ${message.slice(0, 500)}`);
      },
      [withCrossdockBindings(options, compat, "floor", floorBundle, vars)],
      { shards: config.shards, ...(config.profile && { inspectorPort: INSPECTOR_PORT }) },
    );
    log(`crossdock up at ${rt.url.origin}`);
    for (const db of rt.shardDbs) await applyMigrations(db, join(root, "migrations"));
    if (config.shards > 1) log(`${config.shards} D1 databases behind the shard seam`);
    const { buyers, productIds, admin } = await seed(rt.db, config.orders, config.products);
    const ops = new OpsClient(
      new ApiClient(rt.url.origin, { giveUpMs: 30_000, attemptTimeoutMs: 10_000 }),
      admin.token,
    );
    log(`seeded ${buyers.length} buyers, ${productIds.length} products`);

    // Every quote is seeded before any load, while the worker is quiet (see CrossdockRuntime.queryUrl).
    const jobsFor = async (who: Buyer[]) =>
      (await seedQuotes(rt!.db, who, productIds)).map((quoteId, i) => ({ buyer: who[i]!, quoteId }));
    const warmupBuyers = buyers.slice(0, config.warmupOrders);
    const pausedBuyers = buyers.slice(0, Math.min(config.chunk, buyers.length));
    const jobsOfRound = async (who: Buyer[]): Promise<RoundJobs> => ({
      paused: { crossdock: await jobsFor(pausedBuyers), floor: await jobsFor(pausedBuyers) },
      running: { crossdock: await jobsFor(who), floor: await jobsFor(who) },
    });
    const warmup = await jobsOfRound(warmupBuyers);
    const roundJobs: RoundJobs[] = [];
    for (let r = 0; r < config.rounds; r++) roundJobs.push(await jobsOfRound(buyers));

    const outsideLoad = [await sampleOutsideLoad()];
    // Not measured: JIT, D1 and Durable Object start-up would otherwise land on the first round.
    await runRound(rt, ops, warmup, "warm-up");
    const rounds: Round[] = [];
    for (let r = 0; r < config.rounds; r++) {
      const profile = config.profile && r === 0 ? config.profile : undefined;
      rounds.push(await runRound(rt, ops, roundJobs[r]!, `round ${r + 1}/${config.rounds}`, profile));
      // The round's own tail (projections, emails, the pipeline floor's facts) first: it is the
      // benchmark's work, and sampled as it drains it would read as outside load.
      await untilIdle(0.05, 120_000);
      outsideLoad.push(await sampleOutsideLoad());
    }
    const report: CheckoutReport = {
      config,
      machine,
      rounds,
      logCounts: Object.fromEntries(rt.logCounts),
      errors,
      load: judgeLoad(outsideLoad, loadGuardSettings(process.env)),
    };
    const v = verdicts(report);
    log(
      `placement throughput ÷ floor: ${timesWithInterval(v.throughput.estimate)} (target ≥ ${TARGETS.throughput}×): ${v.throughput.verdict}`,
    );
    log(
      `placement p99 (worst round): ${f1(v.placementP99.worst)} ms (target ≤ ${TARGETS.placementP99Ms} ms): ${v.placementP99.verdict}`,
    );
    log(
      `to terminal p99 (worst round): ${f0(v.terminalP99.worst)} ms (target ≤ ${TARGETS.terminalP99Ms} ms): ${v.terminalP99.verdict}`,
    );
    log(`to terminal p99 ÷ pipeline floor p99: ${timesWithInterval(v.vsPipelineFloor)}`);

    const stamp = machine.date.replace(/[:.]/g, "-");
    const outDir = join(root, "bench", ".results");
    await mkdir(outDir, { recursive: true });
    const jsonPath = join(outDir, "checkout.json");
    await writeFile(jsonPath, `${JSON.stringify({ ...report, verdicts: v, stamp }, null, 2)}\n`);
    log(`raw results: ${relative(root, jsonPath)}`);
    // A run the load guard refuses leaves docs/ alone, its chart included: section and chart go to
    // bench/.results/ (the section's image link is relative, so it works there too).
    // A profiled run's workerd ran under the inspector, and a smoke run is too short to stand for the
    // defaults: neither run's figures reach the docs.
    const publish = report.load.publish && !config.profile && !smoke;
    const section = await checkoutSection(report, v, publish ? join(root, "docs") : outDir);
    console.log(`\n${section}\n`);
    log(report.load.summary);
    const path = publish ? join(root, "docs", "BENCHMARKS.md") : join(outDir, `checkout-${stamp}.md`);
    await writeFile(path, withSection(await readIfExists(path), section, CHECKOUT_MARKERS));
    log(`report: ${relative(root, path)} (checkout section)`);
    // Refused by the load guard, or profiled: nothing was measured that can stand. A smoke run passes
    // on its rounds alone.
    if (!report.load.publish || config.profile) return 1;
    return rounds.every((r) => r.ok) ? 0 : 1;
  } finally {
    await rt?.dispose();
    await rm(tmp, { recursive: true, force: true });
  }
}

runMain(main);
