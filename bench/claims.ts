/**
 * The claims section of docs/BENCHMARKS.md: each claim of the article Crossdock implements, answered by a
 * figure measured in this run — read from the harnesses' results (bench/.results/<name>.json) and the
 * game days' reports, never typed in. A claim whose measurement is missing says so instead of a figure.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { latestReport } from "../gameday/all";
import type { GamedayReport, PhaseFigure } from "../gameday/lib/report-model";
import { barSpec, writeChart } from "./lib/charts";
import { CLAIMS_MARKERS, readIfExists, withSectionFirst } from "./lib/doc-sections";
import { table } from "./lib/markdown";

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
          : `${bars.map((b) => `${b.route} ${ms(b.idle)} → ${ms(b.drain)}`).join("; ")} (worst ${worst!.toFixed(1)}×)`,
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
            }`,
      verdict: others.length === 0 ? "not measured" : held === others.length ? "met" : "missed",
    },
    consumers,
  };
}

/**
 * Rows read from a harness's results file, when the harness provides them: `claims` in
 * bench/.results/<name>.json, each a ClaimRow. Missing file: one "not measured" row named after it.
 */
export function harnessClaims(root: string, name: string, claim: string): ClaimRow[] {
  const file = join(root, "bench", ".results", `${name}.json`);
  if (!existsSync(file))
    return [
      {
        claim,
        measured: `no bench/.results/${name}.json: run \`npm run bench:${name}\``,
        goal: "—",
        verdict: "not measured",
        where: "—",
      },
    ];
  const data = JSON.parse(readFileSync(file, "utf8")) as { claims?: ClaimRow[] };
  return (
    data.claims ?? [
      {
        claim,
        measured: `bench/.results/${name}.json has no claims`,
        goal: "—",
        verdict: "not measured",
        where: "—",
      },
    ]
  );
}

export async function claimsSection(root: string): Promise<string> {
  const spikes = spikesClaim(latestReport("backlog-recovery"));
  const independence = independenceClaim(latestReport("consumer-outage"));
  const rows: ClaimRow[] = [
    ...harnessClaims(
      root,
      "chain",
      "Long tasks tie up resources in a request chain; cross-service chains are fragile and slow",
    ),
    spikes.row,
    independence.row,
    ...harnessClaims(root, "status", "Status UX: time to first status vs time to done, per flow"),
    ...harnessClaims(root, "costs", "Per-event cost and backlog storage surprise teams"),
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
