import { describe, expect, it } from "vitest";
import type { RedriveBatch } from "../../../src/flows/ops/redrive";
import {
  afterBatch,
  afterBatchError,
  BATCH_RETRY_MS,
  batchIntervalMs,
  control,
  FAILURES_KEPT,
  isDue,
  newRun,
  type RedriveRun,
} from "../../../src/flows/ops/redrive-runs";

const T = 1_767_225_600_000;
const started = (over: Partial<RedriveRun> = {}): RedriveRun => ({
  ...newRun({ id: "rdr_1", scope: {}, batchSize: 10, ratePerSecond: 4, total: 25, startedBy: "ops@x" }, T),
  ...over,
});
const batch = (over: Partial<RedriveBatch> = {}): RedriveBatch => ({
  redriven: Array.from({ length: 10 }, (_, i) => `dlq_${i}`),
  failed: [],
  last: [T, "dlq_9"],
  remaining: 15,
  ...over,
});

describe("a redrive run's decisions", () => {
  it("spaces batches so the run keeps its rate", () => {
    expect(batchIntervalMs(10, 4)).toBe(2500);
    expect(batchIntervalMs(1, 0.01)).toBe(100_000);
    expect(batchIntervalMs(100, 1000)).toBe(100);
    expect(batchIntervalMs(3, 7)).toBe(429); // rounded up: never faster than asked
  });

  it("is due at once when started, then one interval after each batch's start", () => {
    const run = started();
    expect(isDue(run, T)).toBe(true);
    const next = afterBatch(run, batch(), T + 30);
    expect(next).toMatchObject({ redriven: 10, remaining: 15, batches: 1, position: [T, "dlq_9"] });
    expect(next.nextBatchAt).toBe(T + 30 + 2500);
    expect(isDue(next, T + 2529)).toBe(false);
    expect(isDue(next, T + 2530)).toBe(true);
    expect(next.version).toBe(run.version + 1);
  });

  it("is done when nothing remains, or a batch found nothing", () => {
    expect(afterBatch(started(), batch({ remaining: 0 }), T)).toMatchObject({
      state: "done",
      nextBatchAt: null,
      finishedAt: T,
    });
    const empty = afterBatch(started({ position: [T, "dlq_x"] }), batch({ redriven: [], last: null }), T);
    expect(empty).toMatchObject({ state: "done", remaining: 0, position: [T, "dlq_x"] });
  });

  it("counts failures and keeps only the latest ones", () => {
    let run = started();
    for (let i = 0; i < 3; i++) {
      const failed = Array.from({ length: 10 }, (_, j) => ({ id: `dlq_${i}_${j}`, reason: "not JSON" }));
      run = afterBatch(run, batch({ redriven: [], failed }), T);
    }
    expect(run.failed).toBe(30);
    expect(run.failures).toHaveLength(FAILURES_KEPT);
    expect(run.failures.at(-1)?.id).toBe("dlq_2_9");
  });

  it("retries a batch that could not run, moving nothing", () => {
    const run = afterBatchError(started(), "D1 is down", T);
    expect(run).toMatchObject({ redriven: 0, position: null, lastError: "D1 is down" });
    expect(run.nextBatchAt).toBe(T + BATCH_RETRY_MS);
  });

  it("pauses only a running run, resumes only a paused one, cancels only an unfinished one", () => {
    const paused = control(started(), "pause", T);
    expect(paused).toMatchObject({ ok: true, run: { state: "paused", nextBatchAt: null } });
    if (!paused.ok) throw new Error("not paused");
    expect(isDue(paused.run, T + 1e9)).toBe(false);
    expect(control(paused.run, "pause", T).ok).toBe(false);
    expect(control(paused.run, "resume", T + 5)).toMatchObject({ ok: true, run: { nextBatchAt: T + 5 } });
    expect(control(started(), "resume", T).ok).toBe(false);
    const cancelled = control(paused.run, "cancel", T);
    expect(cancelled).toMatchObject({ ok: true, run: { state: "cancelled", finishedAt: T } });
    if (!cancelled.ok) throw new Error("not cancelled");
    for (const command of ["pause", "resume", "cancel"] as const) {
      expect(control(cancelled.run, command, T)).toEqual({ ok: false, reason: expect.any(String) });
    }
  });
});
