/**
 * `npm run bench:all`: every section of docs/BENCHMARKS.md from one run, at one clean commit. Each harness
 * runs in turn (each starts its own runtime, so nothing else may hold their ports or the CPU), and writes
 * its own section; then the claims section reads their results and the game days' reports, and the run
 * section at the top says which commit, when, how loaded the machine was, and what each step did. A
 * harness that refuses to publish (the load guard) or fails leaves its old section in place and marked
 * stale here, and the command exits 1: a partial run is never presented as a whole one.
 *
 *   npm run bench:all                      # everything (about an hour on 2 cores)
 *   npm run bench:all -- --only chain,claims
 *   npm run bench:all -- --skip gamedays
 */

import { execFileSync, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { writeClaimsSection } from "./claims";
import { runMain, stepLogger } from "./lib/cli";
import {
  CHAIN_MARKERS,
  CHECKOUT_MARKERS,
  CLAIMS_MARKERS,
  COSTS_MARKERS,
  D1_WRITES_MARKERS,
  EVENTS_MARKERS,
  GAMEDAYS_MARKERS,
  IMPORTS_MARKERS,
  type Markers,
  REPORTS_MARKERS,
  RUN_MARKERS,
  STATUS_MARKERS,
  sectionOf,
  withSectionFirst,
} from "./lib/doc-sections";
import { machineFacts } from "./lib/machine";
import { table } from "./lib/markdown";
import { isBenchOutput } from "./lib/outputs";

const ROOT = join(import.meta.dirname, "..");
const DOC = join(ROOT, "docs", "BENCHMARKS.md");
const log = stepLogger("bench:all");

/** One harness: the npm script that runs it and the section it writes. */
export interface Step {
  readonly name: string;
  readonly npm?: readonly string[];
  readonly run?: () => Promise<number>;
  readonly writes: string;
  /** Its section's markers; none for the HTTP harness, which writes the file's head. */
  readonly markers?: Markers;
}

/**
 * In this order: the HTTP harness first (it writes the file's head and carries the other sections over),
 * the claims last (they read what the others measured).
 */
/** A step that runs `npm run -s <script> [-- args]` and owns the section between `markers`. */
const harness = (
  name: string,
  script: string,
  writes: string,
  markers?: Markers,
  args: string[] = [],
): Step => ({
  name,
  npm: ["run", "-s", script, ...(args.length > 0 ? ["--", ...args] : [])],
  writes,
  ...(markers ? { markers } : {}),
});

export const STEPS: readonly Step[] = [
  harness("http", "bench", "Results (me, search, quote)"),
  harness("events", "bench:events", "Event backbone", EVENTS_MARKERS),
  harness("checkout", "bench:checkout", "Checkout under concurrency", CHECKOUT_MARKERS),
  harness("chain", "bench:chain", "Request chain vs 202 + saga", CHAIN_MARKERS),
  harness("status", "bench:status", "Status UX", STATUS_MARKERS),
  harness("reports", "bench:reports", "Reports: time to ready", REPORTS_MARKERS),
  harness("imports", "bench:imports", "Catalog imports", IMPORTS_MARKERS),
  harness("costs", "bench:costs", "Cost per event", COSTS_MARKERS),
  harness("d1", "bench:d1", "D1 write ceiling", D1_WRITES_MARKERS),
  harness("gamedays", "gameday", "Game days", GAMEDAYS_MARKERS, ["all"]),
  {
    name: "claims",
    run: () => writeClaimsSection(ROOT).then(() => 0),
    writes: "The article's claims",
    markers: CLAIMS_MARKERS,
  },
];

// trimEnd, not trim: porcelain lines start with a status column that may be a space.
const git = (...args: string[]) => execFileSync("git", ["-C", ROOT, ...args], { encoding: "utf8" }).trimEnd();

/**
 * What the figures would not be of: tracked or new files that differ from HEAD, outside the outputs this
 * run writes itself (docs/BENCHMARKS.md and its charts).
 */
export function uncleanPaths(porcelain: string): string[] {
  return porcelain
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => l.slice(3))
    .filter((p) => !isBenchOutput(p));
}

/** The steps to run, from --only / --skip (comma-separated names); throws on a name that is not a step. */
export function pickSteps(only: string | undefined, skip: string | undefined): Step[] {
  const names = (s: string | undefined) => (s ? s.split(",").map((x) => x.trim()) : []);
  const unknown = [...names(only), ...names(skip)].filter((n) => !STEPS.some((s) => s.name === n));
  if (unknown.length > 0)
    throw new Error(`unknown step(s) ${unknown.join(", ")}; steps: ${STEPS.map((s) => s.name).join(", ")}`);
  return STEPS.filter(
    (s) => (only === undefined || names(only).includes(s.name)) && !names(skip).includes(s.name),
  );
}

/**
 * What a step owns in the document: its marked section, or for the HTTP harness everything before the
 * first marked section (its head and results). Compared before and after the step to tell whether it
 * wrote: a harness can exit 1 for a missed goal after writing, or 0 having written nothing.
 */
export function ownedText(doc: string, step: Step): string | null {
  if (step.markers) return sectionOf(doc, step.markers);
  const rest = doc.replace(sectionOf(doc, RUN_MARKERS) ?? "", "");
  const firstMarker = rest.search(/<!-- [a-z]+:start -->/);
  return firstMarker === -1 ? rest : rest.slice(0, firstMarker);
}

const readDoc = () => {
  try {
    return readFileSync(DOC, "utf8");
  } catch {
    return "";
  }
};

interface Outcome {
  step: Step;
  code: number;
  written: boolean;
  seconds: number;
  load1m: number;
}

const runNpm = (args: readonly string[]) =>
  new Promise<number>((resolve) => {
    const child = spawn("npm", [...args], { cwd: ROOT, stdio: "inherit", env: process.env });
    child.on("exit", (code, signal) => resolve(signal ? 1 : (code ?? 1)));
  });

export function runSection(
  commit: string,
  started: Date,
  outcomes: readonly Outcome[],
  whole: boolean,
): string {
  const m = machineFacts(ROOT);
  const rows = outcomes.map((o) => [
    o.step.name,
    o.step.writes,
    o.written
      ? o.code === 0
        ? "written"
        : `written (exit ${o.code}: a goal missed or a check failed, see the section)`
      : `**not written (exit ${o.code})**: the section below is older`,
    `${Math.round(o.seconds)} s`,
    o.load1m.toFixed(2),
  ]);
  return `## This run

${whole ? "Every section below was" : "The sections in the table were"} measured by \`npm run bench:all\` at commit \`${commit}\`, started
${started.toISOString()} on ${m.cpuModel} (${m.nproc} cores), Node ${m.node}, workerd ${m.workerd}.
${whole ? "Each step ran once, in this order, alone on the machine (no other job of this run overlapped it)." : "**A partial run** (`--only` / `--skip`): sections not listed here are from an earlier run; each names its own commit."}
Load average (1 min) is when each step ended; each harness samples the load outside itself and refuses to
publish above its threshold (\`BENCH_MAX_LOAD\`, see Method).

${table([["step"], ["section"], ["result"], ["took", "right"], ["load 1m", "right"]], rows)}`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { only: { type: "string" }, skip: { type: "string" } },
    allowPositionals: false,
  });
  const steps = pickSteps(values.only, values.skip);
  const dirty = uncleanPaths(git("status", "--porcelain", "--untracked-files=all"));
  if (dirty.length > 0 && process.env.BENCH_ALLOW_DIRTY !== "1") {
    console.error(
      `bench:all measures a commit, and the work tree differs from HEAD in:\n  ${dirty.slice(0, 20).join("\n  ")}\nCommit or stash them (BENCH_ALLOW_DIRTY=1 to measure anyway; sections then say so).`,
    );
    return 2;
  }
  const commit = git("rev-parse", "--short", "HEAD");
  const started = new Date();
  const outcomes: Outcome[] = [];
  for (const step of steps) {
    log(`── ${step.name}: ${step.writes}`);
    const t0 = Date.now();
    const before = ownedText(readDoc(), step);
    const code = step.run ? await step.run().catch(() => 1) : await runNpm(step.npm ?? []);
    const after = ownedText(readDoc(), step);
    const written = after !== null && after !== before;
    outcomes.push({ step, code, written, seconds: (Date.now() - t0) / 1000, load1m: loadavg()[0]! });
    log(`── ${step.name}: ${written ? "written" : "its section was not rewritten"} (exit ${code})`);
    if (git("rev-parse", "--short", "HEAD") !== commit) {
      console.error(`HEAD moved from ${commit} during the run: stopping, the sections would mix commits.`);
      return 1;
    }
  }
  const doc = readFileSync(DOC, "utf8");
  writeFileSync(
    DOC,
    withSectionFirst(doc, runSection(commit, started, outcomes, steps.length === STEPS.length), RUN_MARKERS),
  );
  // The harnesses write their tables unpadded; CI's Biome check formats Markdown, so the file is left as
  // `npm run format` would leave it (the figures are the same).
  execFileSync("npx", ["biome", "format", "--write", "docs/BENCHMARKS.md"], { cwd: ROOT, stdio: "ignore" });
  const failed = outcomes.filter((o) => !o.written);
  log(
    failed.length === 0
      ? `every section written at ${commit}`
      : `not written: ${failed.map((o) => o.step.name).join(", ")} (see above)`,
  );
  if (sectionOf(readFileSync(DOC, "utf8"), RUN_MARKERS) === null) throw new Error("run section missing");
  return failed.length === 0 ? 0 : 1;
}

// Run only as the entry point: the tests import the pure parts.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  runMain(main);
