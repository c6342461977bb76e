/**
 * The claims section of docs/BENCHMARKS.md: each claim of the article Crossdock implements, answered by a
 * figure measured in this run — read from the harnesses' results (bench/.results/<name>.json) and the
 * game days' reports, never typed in. A claim whose measurement is missing says so instead of a figure.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { latestReport } from "../gameday/all";
import type { GamedayReport, PhaseFigure } from "../gameday/lib/report-model";
import type { Fragility } from "./chain/fragility";
import type { LevelSummary } from "./chain/report";
import type { WorkloadSummary } from "./costs/report";
import { barSpec, writeChart } from "./lib/charts";
import { CLAIMS_MARKERS, readIfExists, withSectionFirst } from "./lib/doc-sections";
import type { RatioEstimate, Verdict } from "./lib/intervals";
import { table } from "./lib/markdown";
import type { Distribution } from "./lib/stats";

/** One row of the claims table. */
export interface ClaimRow {
  claim: string;
  measured: string;
  goal: string;
  verdict: "met" | "missed" | "not measured" | "shown";
  where: string;
}

const figure = (r: GamedayReport, metric: string): PhaseFigure | undefined =>
  r.phaseFigures.find((f) => f.metric === metric);

const ms = (n: number | null | undefined) => (n === null || n === undefined ? "—" : `${Math.round(n)} ms`);

/** Sync p99 while a backlog drains vs idle, from the backlog-recovery game day. */
export function spikesClaim(r: GamedayReport | null): {
  row: ClaimRow;
  bars: { route: string; idle: number; drain: number }[];
} {
  const base: Omit<ClaimRow, "measured" | "verdict"> = {
    claim:
      "Spikes hurt tail latency: sync p99 (me, search, quote) while a ≥ 20,000-fact backlog drains vs idle",
    goal: "≤ 1.5× idle (the backlog-recovery game day's hypothesis)",
    where: "Game days: backlog-recovery",
  };
  if (r === null)
    return { row: { ...base, measured: "no backlog-recovery report", verdict: "not measured" }, bars: [] };
  const bars = ["me", "search", "quote"].flatMap((route) => {
    const f = figure(r, `${route} p99`);
    return f && f.steady !== null && f.during !== null ? [{ route, idle: f.steady, drain: f.during }] : [];
  });
  const worst = bars.length === 0 ? null : Math.max(...bars.map((b) => b.drain / b.idle));
  return {
    row: {
      ...base,
      measured:
        bars.length === 0
          ? "no sync p99 figures in the report"
          : `${bars.map((b) => `${b.route} ${ms(b.idle)} → ${ms(b.drain)}`).join("; ")} (worst ${worst!.toFixed(1)}×; game day at ${r.commit})`,
      verdict: worst === null ? "not measured" : worst <= 1.5 ? "met" : "missed",
    },
    bars,
  };
}

/** The other consumers' throughput and lag while one fails every message, from the consumer-outage game day. */
export function independenceClaim(r: GamedayReport | null): {
  row: ClaimRow;
  consumers: { consumer: string; steady: number; during: number }[];
} {
  const base: Omit<ClaimRow, "measured" | "verdict"> = {
    claim:
      "Consumers fail independently: one consumer failing 100% for 60 s; the others' throughput and lag vs steady state",
    goal: "others keep up within 10% (the consumer-outage game day's checks)",
    where: "Game days: consumer-outage",
  };
  if (r === null)
    return {
      row: { ...base, measured: "no consumer-outage report", verdict: "not measured" },
      consumers: [],
    };
  const others = r.checks.filter(
    (c) => !c.name.startsWith("email") && / (keeps up|lag) during the fault$/.test(c.name),
  );
  const consumers = r.phaseFigures
    .filter((f) => f.metric.endsWith(" throughput") && !f.metric.startsWith("email"))
    .flatMap((f) =>
      f.steady !== null && f.during !== null && f.steady > 0
        ? [{ consumer: f.metric.replace(/ throughput$/, ""), steady: f.steady, during: f.during }]
        : [],
    );
  const held = others.filter((c) => c.held).length;
  return {
    row: {
      ...base,
      measured:
        others.length === 0
          ? "no consumer had enough traffic to judge"
          : `${held}/${others.length} keep-up and lag checks held across ${consumers.length} consumers; email: ${
              r.checks.find((c) => c.name.startsWith("emails catch up"))?.actual ?? "—"
            } (game day at ${r.commit})`,
      verdict: others.length === 0 ? "not measured" : held === others.length ? "met" : "missed",
    },
    consumers,
  };
}

/** A harness's raw results, or null when it has not run here (bench/.results/<name>.json). */
function results<T>(root: string, name: string): T | null {
  const file = join(root, "bench", ".results", `${name}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : null;
}

const notMeasured = (claim: string, goal: string, harness: string): ClaimRow => ({
  claim,
  measured: `no bench/.results/${harness}.json: run \`npm run bench:${harness}\``,
  goal,
  verdict: "not measured",
  where: "—",
});

const verdictOfRatio = (v: Verdict): ClaimRow["verdict"] =>
  v === "met" ? "met" : v === "missed" ? "missed" : "not measured";
const interval = (e: RatioEstimate) =>
  e.interval === null ? "" : ` [${e.interval.low.toFixed(3)}, ${e.interval.high.toFixed(3)}]`;

/** Request chain vs 202 + saga at the most buyers, and the two paths with 5% of payment calls failing. */
export function chainClaims(
  r: { levels: LevelSummary[]; fragility: Fragility[]; config?: { rounds: number } } | null,
): ClaimRow[] {
  const claim =
    "Long tasks tie up resources in a request chain: placement at 1 s payment latency, chain vs 202 + saga";
  const goal = "saga p99 ≤ 1/20 of the chain's at 1,000 buyers, 0 failed placements";
  const fragile = "Cross-service chains are fragile: the payment provider failing 5% of calls";
  if (r === null || (r.config !== undefined && r.config.rounds < 3))
    // A smoke run's figures (CI's) answer no claim.
    return [notMeasured(claim, goal, "chain"), notMeasured(fragile, "shown", "chain")];
  const top = r.levels.at(-1);
  const rows: ClaimRow[] = [];
  if (top) {
    // failedTotal counts every placement not answered 201/202, client timeouts included (runs.ts).
    const failed = top.saga.failedTotal;
    rows.push({
      claim,
      measured: `${top.buyers} buyers: chain p99 ${ms(top.chain.p99Ms)}, saga ${ms(top.saga.p99Ms)} (saga ÷ chain ${top.p99Ratio.ratio.toFixed(3)}${interval(top.p99Ratio)}); saga failed or timed out ${failed}/${top.saga.requestsTotal}; workerd held ${top.chain.heldRssMiB?.toFixed(0) ?? "—"} vs ${top.saga.heldRssMiB?.toFixed(0) ?? "—"} MiB`,
      goal,
      verdict: failed > 0 ? "missed" : verdictOfRatio(top.verdict),
      where: "Request chain vs 202 + saga",
    });
  }
  const chain = r.fragility.find((f) => f.path === "chain");
  const saga = r.fragility.find((f) => f.path === "saga");
  rows.push(
    chain && saga
      ? {
          claim: fragile,
          measured: `chain: ${chain.failedRequests}/${chain.buyers} buyers saw a failure; saga: ${saga.failedRequests} failed requests, ${saga.retriedThenConfirmed} orders retried then confirmed, ${saga.compensated} compensated, ${saga.chargedTwice} charged twice`,
          goal: "shown",
          verdict: "shown",
          where: "Request chain vs 202 + saga",
        }
      : notMeasured(fragile, "shown", "chain"),
  );
  return rows;
}

/** Time to the 202 and the first status event vs time to done, per flow. */
export function statusClaim(
  r: {
    summaries: { flow: string; accepted: Distribution; firstEvent: Distribution; done: Distribution }[];
  } | null,
): ClaimRow {
  const claim =
    "Eventual consistency needs clear status: time to the 202 and the first status event vs time to done";
  if (r === null) return notMeasured(claim, "shown", "status");
  return {
    claim,
    measured: r.summaries
      .map((s) => `${s.flow} ${ms(s.accepted.p50)} / ${ms(s.firstEvent.p50)} / ${ms(s.done.p50)}`)
      .join("; "),
    goal: "shown (p50: 202 / first event / done)",
    verdict: "shown",
    where: "Status UX",
  };
}

/** Analytics events' cost per 1M against the platform's minimum for the same delivery. */
export function costClaim(r: { summaries: WorkloadSummary[] } | null): ClaimRow {
  const claim = "Per-event cost surprises teams: cost per 1M analytics events vs the platform's minimum";
  const goal = "≤ 1.5× the minimum (one write, read and delete per subscriber)";
  const analytics = r?.summaries.find((s) => s.workload === "analytics events");
  if (!analytics) return notMeasured(claim, goal, "costs");
  return {
    claim,
    measured: `$${analytics.perMillion.toFixed(2)} vs $${analytics.minimumPerMillion.toFixed(2)} per 1M (${analytics.ratio.ratio.toFixed(2)}×${interval(analytics.ratio)})`,
    goal,
    verdict: analytics.verdict === null ? "not measured" : verdictOfRatio(analytics.verdict),
    where: "Cost per event",
  };
}

export async function claimsSection(root: string): Promise<string> {
  const spikes = spikesClaim(latestReport("backlog-recovery"));
  const independence = independenceClaim(latestReport("consumer-outage"));
  const rows: ClaimRow[] = [
    ...chainClaims(results(root, "chain")),
    spikes.row,
    independence.row,
    statusClaim(results(root, "status")),
    costClaim(results(root, "costs")),
  ];
  const docs = join(root, "docs");
  const charts = [
    await pairChart(docs, "claims-spikes", "Sync p99 idle vs while 20,000 facts drain (ms)", "p99 ms", [
      "idle",
      "while the backlog drains",
      spikes.bars.map((b) => [b.route, b.idle, b.drain] as const),
    ]),
    await pairChart(
      docs,
      "claims-independence",
      "Other consumers' throughput while email fails 100% (acks/s)",
      "acks/s",
      [
        "steady",
        "email failing",
        independence.consumers.map((c) => [c.consumer, c.steady, c.during] as const),
      ],
    ),
  ].filter((c) => c !== null);
  return `## The article's claims, measured

Each claim of the article Crossdock implements, with the figure from this run that answers it and the
section that holds the detail. "Met" means the figure clears the goal (with its 95% interval where the
harness repeats rounds); "shown" is a measurement with no pass/fail goal.

${table(
  [["claim"], ["measured"], ["goal"], ["verdict"], ["detail"]],
  rows.map((r) => [r.claim, r.measured, r.goal, r.verdict === "missed" ? "**missed**" : r.verdict, r.where]),
)}

${charts.join("\n\n")}`.trimEnd();
}

/** A before/after bar chart per group, or null when there is nothing to draw. */
async function pairChart(
  docs: string,
  name: string,
  title: string,
  axis: string,
  [before, after, groups]: readonly [string, string, readonly (readonly [string, number, number])[]],
): Promise<string | null> {
  if (groups.length === 0) return null;
  const bars = groups.flatMap(([group, a, b]) => [
    { group, series: before, value: a },
    { group, series: after, value: b },
  ]);
  return writeChart(docs, name, barSpec({ title, axis, bars }), title);
}

export async function writeClaimsSection(root: string): Promise<void> {
  const path = join(root, "docs", "BENCHMARKS.md");
  const doc = await readIfExists(path);
  // Right after the title (bench:all then puts its run section above it): the claims are what a reader came for.
  writeFileSync(path, withSectionFirst(doc, await claimsSection(root), CLAIMS_MARKERS));
}
