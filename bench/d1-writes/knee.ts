/**
 * From windows at rising concurrency to a saturation knee and a ceiling, pure so that it can be tested
 * and re-run on a saved result. The knee is the lowest concurrency whose median throughput (over rounds)
 * reaches KNEE_SHARE of the highest median: past it, doubling the lanes buys less than the noise.
 */
import { pairedRatioEstimate, type RatioEstimate } from "../lib/intervals";
import { median } from "../lib/stats";
import type { Flow } from "./flows";
import type { WindowResult } from "./worker";

export const KNEE_SHARE = 0.9;

/** Cloudflare's figure for one database: ~1,000 queries/s at 1 ms each, counted by capacity as rows/s. */
export const PUBLISHED_ROWS_PER_S = 1_000;

export interface Window extends WindowResult {
  round: number;
}

export const perSecond = (count: number, w: { wallMs: number }) => (count / w.wallMs) * 1000;

export interface LevelSummary {
  lanes: number;
  medianRowsPerS: number;
  medianBatchesPerS: number;
  medianBatchMs: number;
}

export interface FlowSummary {
  flow: Flow;
  levels: LevelSummary[];
  kneeLanes: number;
  /** Geometric mean over rounds at the knee, with its 95% interval (Student's t on the logs). */
  rowsPerS: RatioEstimate;
  batchesPerS: RatioEstimate;
  /** Statements a second: what Cloudflare's "queries/s" counts. */
  statementsPerS: RatioEstimate;
  /** Business operations a second at the knee (placements, consumed messages). */
  operationsPerS: RatioEstimate;
  rowsPerOperation: number;
  rowsPerBatch: number;
  /** rows/s at the knee ÷ Cloudflare's 1,000, per round. */
  vsPublished: RatioEstimate;
  failedBatches: number;
}

export function summariseFlow(flow: Flow, windows: readonly Window[], opsPerCall: number): FlowSummary {
  const mine = windows.filter((w) => w.flow === flow);
  const lanes = [...new Set(mine.map((w) => w.lanes))].sort((a, b) => a - b);
  const at = (l: number) => mine.filter((w) => w.lanes === l);
  const levels = lanes.map((l) => ({
    lanes: l,
    medianRowsPerS: median(at(l).map((w) => perSecond(w.rowsWritten, w))),
    medianBatchesPerS: median(at(l).map((w) => perSecond(w.batches, w))),
    medianBatchMs: median(at(l).flatMap((w) => w.batchMs)),
  }));
  const peak = Math.max(...levels.map((l) => l.medianRowsPerS));
  const knee = levels.find((l) => l.medianRowsPerS >= KNEE_SHARE * peak) ?? levels.at(-1)!;
  const kneeWindows = at(knee.lanes);
  const rows = kneeWindows.reduce((s, w) => s + w.rowsWritten, 0);
  const calls = kneeWindows.reduce((s, w) => s + w.calls, 0);
  const batches = kneeWindows.reduce((s, w) => s + w.batches, 0);
  return {
    flow,
    levels,
    kneeLanes: knee.lanes,
    rowsPerS: pairedRatioEstimate(kneeWindows.map((w) => perSecond(w.rowsWritten, w))),
    batchesPerS: pairedRatioEstimate(kneeWindows.map((w) => perSecond(w.batches, w))),
    statementsPerS: pairedRatioEstimate(kneeWindows.map((w) => perSecond(w.statements, w))),
    operationsPerS: pairedRatioEstimate(kneeWindows.map((w) => perSecond(w.calls * opsPerCall, w))),
    rowsPerOperation: rows / (calls * opsPerCall),
    rowsPerBatch: rows / batches,
    vsPublished: pairedRatioEstimate(
      kneeWindows.map((w) => perSecond(w.rowsWritten, w) / PUBLISHED_ROWS_PER_S),
    ),
    failedBatches: mine.reduce((s, w) => s + w.failedBatches, 0),
  };
}

/** What `npm run capacity -- --d1-write-ceiling-from` reads: one number, and where it came from. */
export interface MeasuredCeiling {
  rowsPerS: number;
  flow: Flow;
  estimate: RatioEstimate;
  basis: string;
}

/**
 * The database's ceiling: the slowest flow's rows/s at its knee (the geometric mean of its rounds). The
 * slowest, because one database takes every flow's writes and a mix can do no better than its worst
 * shape. The point estimate rather than the low end of its interval: on a shared machine the interval
 * is mostly other people's load, and its low end would size shards on that noise.
 */
export function ceilingOf(flows: readonly FlowSummary[]): MeasuredCeiling {
  const slowest = flows.reduce((a, b) => (b.rowsPerS.ratio < a.rowsPerS.ratio ? b : a));
  return {
    rowsPerS: Math.floor(slowest.rowsPerS.ratio),
    flow: slowest.flow,
    estimate: slowest.rowsPerS,
    basis: `the slowest flow (${slowest.flow}) at its knee (${slowest.kneeLanes} in flight), geometric mean of the rounds`,
  };
}
