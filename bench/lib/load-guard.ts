/**
 * Whether a benchmark run may be published, from the machine's load outside the benchmark: a figure
 * measured while other work competes for the CPU is shifted by that work, so it must not land in
 * docs/BENCHMARKS.md as if it were clean. The load is sampled by bench/lib/outside-load.ts; this file is
 * the decision, pure so that it can be tested.
 */

export interface LoadGuardSettings {
  /** BENCH_MAX_LOAD: the highest outside load (runnable tasks other than the benchmark's) still "quiet". */
  maxLoad: number;
  /** BENCH_ALLOW_LOAD=1: publish a busy run anyway; bench/run.ts then says so and caps every verdict. */
  allowLoad: boolean;
}

/**
 * One other task always runnable takes a whole core of this 2-core machine from a benchmark that keeps
 * about two busy itself (the load generator and workerd): past that, the ratios measure the contention.
 */
export const LOAD_GUARD_DEFAULTS: LoadGuardSettings = { maxLoad: 1, allowLoad: false };

/** The settings from an environment (process.env in the harnesses); throws on a malformed value. */
export function loadGuardSettings(env: Record<string, string | undefined>): LoadGuardSettings {
  const raw = env.BENCH_MAX_LOAD?.trim();
  const maxLoad = raw === undefined || raw === "" ? LOAD_GUARD_DEFAULTS.maxLoad : Number(raw);
  if (!Number.isFinite(maxLoad) || maxLoad < 0 || maxLoad > 64) {
    throw new Error(`BENCH_MAX_LOAD must be a number from 0 to 64; got '${raw}'.`);
  }
  return { maxLoad, allowLoad: env.BENCH_ALLOW_LOAD?.trim() === "1" };
}

export interface LoadJudgement {
  /** The highest outside load sampled, or null when none was (a run saved before the guard existed). */
  peak: number | null;
  /** The peak is known and at most the threshold. */
  quiet: boolean;
  /** docs/BENCHMARKS.md may be written: quiet, or busy with BENCH_ALLOW_LOAD=1. */
  publish: boolean;
  /** One sentence for the console and the report: what was measured against what, and what follows. */
  summary: string;
}

/**
 * The decision on a run's outside-load samples: the peak decides, so a burst of other work during any
 * pause counts. A load that was not measured is not shown to be quiet.
 *
 * @example judgeLoad([0.1, 1.4], { maxLoad: 1, allowLoad: false }).publish // false
 */
export function judgeLoad(samples: readonly number[], settings: LoadGuardSettings): LoadJudgement {
  const known = samples.filter(Number.isFinite);
  const peak = known.length === 0 ? null : Math.max(...known);
  const quiet = peak !== null && peak <= settings.maxLoad;
  const publish = quiet || settings.allowLoad;
  const measured =
    peak === null
      ? "Outside load was not measured"
      : `Outside load peaked at ${peak} (threshold BENCH_MAX_LOAD=${settings.maxLoad})`;
  const state = peak === null ? "not shown to be quiet" : "busy";
  const consequence = quiet
    ? "quiet enough to publish."
    : settings.allowLoad
      ? `${state}, published anyway because BENCH_ALLOW_LOAD=1.`
      : `${state}: docs/BENCHMARKS.md is not written. Rerun on a quiet machine, or set BENCH_ALLOW_LOAD=1 to publish anyway.`;
  return { peak, quiet, publish, summary: `${measured}: ${consequence}` };
}

/** Where a harness writes its section of docs/BENCHMARKS.md, and why. */
export interface SectionDestination {
  /** "docs": docs/BENCHMARKS.md; "results": bench/.results/<stamp>.md only. */
  target: "docs" | "results";
  /** The load guard turned a full run away: the harness must exit non-zero. */
  refused: boolean;
  /** Appended to the harness's "report: <path>" line; "" when the section goes to the docs. */
  note: string;
}

/**
 * The decision every section harness shares (bench/lib/publish-section.ts applies it): a smoke run never
 * touches the docs and is not a failure; a full run goes to the docs when the load guard allows it, and
 * is refused otherwise. `load` is null for a smoke run, which is not sampled.
 *
 * @example sectionDestination(false, judgeLoad([2], LOAD_GUARD_DEFAULTS)) // { target: "results", refused: true, … }
 */
export function sectionDestination(smoke: boolean, load: LoadJudgement | null): SectionDestination {
  if (smoke)
    return { target: "results", refused: false, note: " (smoke run: docs/BENCHMARKS.md left alone)" };
  if (load?.publish) return { target: "docs", refused: false, note: "" };
  return { target: "results", refused: true, note: " (busy machine: docs/BENCHMARKS.md left alone)" };
}
