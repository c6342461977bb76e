/**
 * `npm run bench:status`: how soon a user sees something, against how long the work takes, for each of
 * crossdock's three 202 flows — checkout (POST /v1/orders, its order stream), catalog import (POST
 * /v1/catalog/imports, its job stream) and report (POST /v1/reports, its job stream) — on the production
 * bundle in one local workerd. Per run: time to the 202, to the first SSE event of the status stream
 * (opened as soon as the 202 arrives, as the pages do), and to the terminal event, all from the request's
 * start. The flows take turns, one request at a time. Settings: BENCH_STATUS_RUNS (default 30),
 * BENCH_STATUS_IMPORT_ROWS (1000), BENCH_ALLOW_LOAD=1 to publish a busy run.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { type Account, seedAccounts, seedProducts, seedQuotes } from "./chain/seed";
import { buildCrossdock } from "./lib/build";
import { barSpec, writeChart } from "./lib/charts";
import { intEnv, runMain, stepLogger } from "./lib/cli";
import { readIfExists, STATUS_MARKERS, withSection } from "./lib/doc-sections";
import { judgeLoad, loadGuardSettings } from "./lib/load-guard";
import { machineFacts } from "./lib/machine";
import { f0, table } from "./lib/markdown";
import { applyMigrations } from "./lib/migrations";
import { sampleOutsideLoad } from "./lib/outside-load";
import { crossdockWorkerOptions, startCrossdockRuntime } from "./lib/runtime";
import { type Distribution, distribution } from "./lib/stats";
import { followStream } from "./status/sse";

process.env.WRANGLER_SEND_METRICS ??= "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";

const root = join(import.meta.dirname, "..");
const log = stepLogger("status");
const config = {
  runs: intEnv("BENCH_STATUS_RUNS", 30),
  importRows: intEnv("BENCH_STATUS_IMPORT_ROWS", 1000),
  sandboxSlowMs: 1000,
  paymentMethod: "pm_card_slow",
  streamTimeoutSec: 120,
  warmupRuns: 2,
};

const FLOWS = ["checkout", "catalog import", "report"] as const;
type Flow = (typeof FLOWS)[number];

/** One flow's request: what to send, and how its stream says it is done. */
interface FlowRequest {
  path: string;
  init: RequestInit;
  streamPath: (id: string) => string;
  isTerminal: (event: string, data: unknown) => boolean;
}

const jobDone = (_event: string, data: unknown) => {
  const status = (data as { status?: string }).status;
  return status === "succeeded" || status === "failed";
};

interface Run {
  flow: Flow;
  status: number;
  acceptedMs: number;
  firstEventMs: number | null;
  doneMs: number | null;
  events: number;
}

async function once(url: URL, flow: Flow, request: FlowRequest, auth: Record<string, string>): Promise<Run> {
  const t0 = performance.now();
  const res = await fetch(new URL(request.path, url), {
    ...request.init,
    headers: { ...auth, ...(request.init.headers as Record<string, string>) },
    signal: AbortSignal.timeout(30_000),
  });
  const acceptedMs = performance.now() - t0;
  const body = (await res.json().catch(() => ({}))) as { id?: string };
  if (res.status !== 202 || !body.id) {
    log(`${flow}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
    return { flow, status: res.status, acceptedMs, firstEventMs: null, doneMs: null, events: 0 };
  }
  const stream = await followStream(
    new URL(request.streamPath(body.id), url),
    auth,
    request.isTerminal,
    config.streamTimeoutSec * 1000,
  );
  const since = (at: number | null) => (at === null ? null : at - t0);
  return {
    flow,
    status: res.status,
    acceptedMs,
    firstEventMs: since(stream.firstEventAt),
    doneMs: since(stream.terminalAt),
    events: stream.events,
  };
}

/** A catalog file of `rows` products whose SKUs are new for run `n`, so no upload repeats another's SHA-256. */
function catalogFile(rows: number, n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    lines.push(
      JSON.stringify({
        sku: `STATUS-${n}-${i}`,
        title: `Status bench lamp ${n}-${i}`,
        description: "A product for the status bench.",
        category: "lighting",
        price: "19.99",
        stock: 10,
      }),
    );
  }
  return `${lines.join("\n")}\n`;
}

function requests(quoteIds: string[]) {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return {
    checkout: (n: number): FlowRequest => ({
      path: "/v1/orders",
      init: {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
        body: JSON.stringify({ quoteId: quoteIds[n], paymentMethod: config.paymentMethod }),
      },
      streamPath: (id) => `/v1/orders/${id}/stream`,
      isTerminal: (_event, data) => (data as { terminal?: boolean }).terminal === true,
    }),
    "catalog import": (n: number): FlowRequest => ({
      path: "/v1/catalog/imports",
      init: {
        method: "POST",
        headers: { "content-type": "application/x-ndjson" },
        body: catalogFile(config.importRows, n),
      },
      streamPath: (id) => `/v1/jobs/${id}/stream`,
      isTerminal: jobDone,
    }),
    report: (_n: number): FlowRequest => ({
      path: "/v1/reports",
      init: {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
        body: JSON.stringify({ type: "sales", from: day(-30), to: day(0) }),
      },
      streamPath: (id) => `/v1/jobs/${id}/stream`,
      isTerminal: jobDone,
    }),
  } satisfies Record<Flow, (n: number) => FlowRequest>;
}

interface FlowSummary {
  flow: Flow;
  runs: number;
  failed: number;
  accepted: Distribution;
  firstEvent: Distribution;
  done: Distribution;
}

function summarise(runs: Run[]): FlowSummary[] {
  return FLOWS.map((flow) => {
    const mine = runs.filter((r) => r.flow === flow);
    const ok = mine.filter((r) => r.doneMs !== null);
    return {
      flow,
      runs: mine.length,
      failed: mine.length - ok.length,
      accepted: distribution(mine.map((r) => r.acceptedMs)),
      firstEvent: distribution(ok.map((r) => r.firstEventMs ?? Number.NaN)),
      done: distribution(ok.map((r) => r.doneMs!)),
    };
  });
}

async function section(
  summaries: FlowSummary[],
  machine: ReturnType<typeof machineFacts>,
  loadSummary: string,
) {
  const chart = await writeChart(
    join(root, "docs"),
    "status-ux",
    barSpec({
      title: "Time to the 202, to the first status event, and to done (p50)",
      // Linear: barSpec's bars start at 0, which a log scale cannot draw.
      axis: "ms from the request's start, p50",
      bars: summaries.flatMap((s) => [
        { group: s.flow, series: "1. 202", value: s.accepted.p50 },
        { group: s.flow, series: "2. first SSE event", value: s.firstEvent.p50 },
        { group: s.flow, series: "3. done", value: s.done.p50 },
      ]),
    }),
    "Per flow, the p50 time to the 202, to the first SSE status event and to done",
  );
  const rows = summaries.map((s) => [
    s.flow,
    `${s.runs - s.failed}/${s.runs}`,
    f0(s.accepted.p50),
    f0(s.accepted.p99),
    f0(s.firstEvent.p50),
    f0(s.firstEvent.p99),
    f0(s.done.p50),
    f0(s.done.p99),
    `${(s.done.p50 / s.firstEvent.p50).toFixed(0)}×`,
  ]);
  return `## Status UX: first status vs done (\`npm run bench:status\`)

Run ${machine.date} on ${machine.cpuModel} (${machine.nproc} CPUs), Node ${machine.node}, workerd ${machine.workerd},
commit ${machine.gitCommit}. ${loadSummary}

${chart}

${table(
  [
    ["Flow"],
    ["Done", "right"],
    ["202 p50 ms", "right"],
    ["202 p99 ms", "right"],
    ["First event p50 ms", "right"],
    ["First event p99 ms", "right"],
    ["Done p50 ms", "right"],
    ["Done p99 ms", "right"],
    ["Done ÷ first event (p50)", "right"],
  ],
  rows,
)}

**Method.** The production bundle (\`wrangler deploy --dry-run\`) runs alone in one Miniflare with every
binding from wrangler.toml. ${config.runs} runs per flow, the flows taking turns, one request at a time (this measures
what one user waits for, not behaviour under load), after ${config.warmupRuns} unmeasured runs each. Checkout: a buyer's
\`POST /v1/orders\` paying with \`${config.paymentMethod}\` (the sandbox authorizes after SANDBOX_SLOW_MS = ${config.sandboxSlowMs}),
followed on \`/v1/orders/{id}/stream\` until a frame says \`terminal\` (confirmed and captured). Catalog
import: a merchant's ${f0(config.importRows)}-row NDJSON file (new SKUs each run) to \`POST /v1/catalog/imports\`, followed on
\`/v1/jobs/{id}/stream\` until the job succeeds or fails. Report: the same merchant's \`POST /v1/reports\` (sales,
the last 30 days, which hold the checkout runs' orders), followed on its job stream. Each stream is opened
as soon as the 202 arrives, as the console and storefront pages do; every time is measured in Node from
the start of the \`POST\`: the 202, the first \`data:\` frame of the stream, the terminal frame.

**Caveats.** Local queues, D1, R2 and Durable Objects have no network latency: production adds a round
trip to each hop, more to "done" than to the 202. The first event is the stream's opening frame (the
current state); it shows the user where the work is, not that it moved. When the work is over before the
stream opens (a small report), that first frame is already the terminal one, and "done" equals "first
event". The machine is shared with the load generator.

**How to run.** \`npm run bench:status\` (a few minutes); a short run: \`BENCH_STATUS_RUNS=3
BENCH_ALLOW_LOAD=1 npm run bench:status\`. Raw results: \`bench/.results/status.json\`.`;
}

async function main(): Promise<number> {
  const machine = machineFacts(root);
  const wranglerToml = join(root, "wrangler.toml");
  const tmp = await mkdtemp(join(tmpdir(), "crossdock-status-"));
  try {
    log("building the production bundle (wrangler deploy --dry-run)");
    const { assetsDirectory } = crossdockWorkerOptions(wranglerToml);
    const bundle = await buildCrossdock(root, join(tmp, "crossdock"), assetsDirectory);
    const rt = await startCrossdockRuntime(
      wranglerToml,
      bundle,
      { SANDBOX_SLOW_MS: String(config.sandboxSlowMs) },
      (message) => console.error(`[workerd error] ${message.slice(0, 300)}`),
    );
    try {
      await applyMigrations(rt.db, join(root, "migrations"));
      const [merchant] = (await seedAccounts(rt.db, "merchant", 1)) as [Account];
      const [buyer] = (await seedAccounts(rt.db, "buyer", 1)) as [Account];
      const products = await seedProducts(rt.db, 10, merchant);
      const total = config.runs + config.warmupRuns;
      const quoteIds = await seedQuotes(rt.db, Array(total).fill(buyer), products);
      const auth = (a: Account) => ({ authorization: `Bearer ${a.token}` });
      const who: Record<Flow, Account> = { checkout: buyer, "catalog import": merchant, report: merchant };
      const make = requests(quoteIds);
      const outsideLoad = [await sampleOutsideLoad()];
      const runs: Run[] = [];
      for (let n = 0; n < total; n++) {
        for (const flow of FLOWS) {
          const r = await once(rt.url, flow, make[flow](n), auth(who[flow]));
          if (n >= config.warmupRuns) runs.push(r);
          log(
            `${flow} #${n + 1}${n < config.warmupRuns ? " (warm-up)" : ""}: 202 ${r.acceptedMs.toFixed(0)} ms, ` +
              `first event ${r.firstEventMs?.toFixed(0) ?? "none"} ms, done ${r.doneMs?.toFixed(0) ?? "never"} ms`,
          );
        }
      }
      outsideLoad.push(await sampleOutsideLoad());
      const summaries = summarise(runs);
      const judgement = judgeLoad(outsideLoad, loadGuardSettings(process.env));
      log(judgement.summary);
      const outDir = join(root, "bench", ".results");
      await mkdir(outDir, { recursive: true });
      const jsonPath = join(outDir, "status.json");
      await writeFile(
        jsonPath,
        `${JSON.stringify({ config, machine, outsideLoad, judgement, summaries, runs }, null, 2)}\n`,
      );
      log(`raw results: ${relative(root, jsonPath)}`);
      if (!judgement.publish) return 1;
      const reportPath = join(root, "docs", "BENCHMARKS.md");
      const body = await section(summaries, machine, judgement.summary);
      await writeFile(reportPath, withSection(await readIfExists(reportPath), body, STATUS_MARKERS));
      log("report: docs/BENCHMARKS.md (status section)");
      return summaries.every((s) => s.failed === 0) ? 0 : 1;
    } finally {
      await rt.dispose();
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

runMain(main);
