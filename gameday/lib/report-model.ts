/**
 * A game day's report as data: what every scenario produces at its end, and what report-render.ts turns
 * into Markdown and a self-contained HTML page. Times are epoch ms unless a name says otherwise.
 */
import type { Finding, FlowSummary, InvariantSummary } from "./check";

export type Verdict = "held" | "failed" | "aborted";
export interface HypothesisCheck {
  name: string;
  expected: string;
  actual: string;
  held: boolean;
}
/** A stretch of the run, epoch ms. */
export interface Window {
  label: string;
  from: number;
  to: number;
}
export interface PhaseFigure {
  metric: string;
  unit: string;
  steady: number | null;
  during: number | null;
  after: number | null;
}
export interface RetryFigure {
  consumer: string;
  messages: number;
  attempts: number;
  retriesPerMessage: number;
  injected: number;
  deadLettered: number;
}
export interface Series {
  /** Sample times, epoch ms, ascending; every other array is aligned with it (null: no sample). */
  t: number[];
  /** Per consumer: facts published to it and not yet acknowledged. */
  backlog: Record<string, (number | null)[]>;
  /** Per consumer: age of its oldest unacknowledged fact, seconds. */
  oldestAgeS: Record<string, (number | null)[]>;
  /** Per consumer: acknowledgements per second over the last interval. */
  throughput: Record<string, (number | null)[]>;
  /** Per sync route ("me", "search", "quote"): p99 latency over the last interval, ms. */
  syncP99Ms: Record<string, (number | null)[]>;
}
export interface GamedayReport {
  /** e.g. "consumer-failure-2026-12-05T10-00-00Z-1234" */
  id: string;
  scenario: string;
  seed: number;
  /** git short sha (+ "-dirty") */
  commit: string;
  startedAt: number;
  endedAt: number;
  hypothesis: string;
  steadyState: string;
  method: string[];
  abortCondition: string;
  rollback: string;
  verdict: Verdict;
  abortReason?: string;
  checks: HypothesisCheck[];
  /** "steady", "fault", "recovery" … */
  phases: Window[];
  /** Fault windows, shaded on every chart. */
  faults: Window[];
  series: Series;
  phaseFigures: PhaseFigure[];
  flows: FlowSummary[];
  invariants: InvariantSummary[];
  findings: Finding[];
  retries: RetryFigure[];
  deadLetters: { stored: number; redriven: number; redriveDeliveredOnce: boolean | null } | null;
  timeToRecoverMs: number | null;
  /** From the runtime's cost counters (gameday/lib/cost.ts); null when the run committed no fact. */
  cost: { perMillionEvents: number; run: number; currency: "USD"; model: string } | null;
  notes: string[];
}

/** The process's exit code for a run: 0 only when the hypothesis held. */
export const exitCodeOf = (r: GamedayReport): number => (r.verdict === "held" ? 0 : 1);

/** Across every flow: subjects with a lost, duplicated or unexpected effect. */
export const checkerTotals = (r: Pick<GamedayReport, "flows">) => ({
  lost: r.flows.reduce((n, f) => n + f.lost, 0),
  duplicated: r.flows.reduce((n, f) => n + f.duplicated, 0),
  unexpected: r.flows.reduce((n, f) => n + f.unexpected, 0),
});

/**
 * The body of `POST /ops/gamedays`, which records the run in the Crossdock it ran against.
 *
 * @example
 * const { markdown, dir } = writeReport(join(root, "gameday", "reports", r.id), r);
 * await api.send({ method: "POST", path: "/ops/gamedays", token: admin, json: gamedayRecord(r, markdown, dir) });
 */
export function gamedayRecord(r: GamedayReport, markdown: string, reportPath: string) {
  return {
    id: r.id,
    scenario: r.scenario,
    verdict: r.verdict,
    hypothesis: r.hypothesis,
    startedAt: new Date(r.startedAt).toISOString(),
    endedAt: new Date(r.endedAt).toISOString(),
    checks: r.checks,
    totals: checkerTotals(r),
    markdown,
    reportPath,
  };
}
