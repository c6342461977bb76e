/**
 * A redrive run: every dead letter of a scope redriven in batches of `batchSize` at `ratePerSecond`, so
 * a consumer that has just recovered is fed at a pace it can take. Pure decisions over the run's state;
 * the RedriveRun Durable Object (src/durable-objects/redrive-run.ts) keeps it and wakes for each batch.
 */
import type { KeysetKeys } from "./cursor";
import type { DeadLetterScope, RedriveBatch } from "./redrive";

export const REDRIVE_RUN_STATES = ["running", "paused", "done", "cancelled"] as const;
export type RedriveRunState = (typeof REDRIVE_RUN_STATES)[number];

export const REDRIVE_RUN_COMMANDS = ["pause", "resume", "cancel"] as const;
export type RedriveRunCommand = (typeof REDRIVE_RUN_COMMANDS)[number];

/** A batch that could not run (D1 or every queue down) is tried again this long after. */
export const BATCH_RETRY_MS = 5_000;

/** How many of the latest failures a run keeps to show (the count covers them all). */
export const FAILURES_KEPT = 20;

export interface RedriveRun {
  id: string;
  scope: DeadLetterScope;
  batchSize: number;
  ratePerSecond: number;
  state: RedriveRunState;
  /** Dead letters of the scope when the run started. */
  total: number;
  redriven: number;
  failed: number;
  /** Still waiting after the run's position, as of its last batch. */
  remaining: number;
  failures: { id: string; reason: string }[];
  /** The last letter the run has passed (redrive order); the next batch starts after it. */
  position: KeysetKeys | null;
  batches: number;
  startedBy: string;
  createdAt: number;
  updatedAt: number;
  /** When the next batch is due; null unless running. */
  nextBatchAt: number | null;
  finishedAt: number | null;
  /** Why the last batch could not run; cleared by the next one that does. */
  lastError: string | null;
  /** +1 on every change: the live page's event id. */
  version: number;
}

export const isFinished = (run: Pick<RedriveRun, "state">): boolean =>
  run.state === "done" || run.state === "cancelled";

/** The pause between two batches' starts that keeps the run at its rate. */
export const batchIntervalMs = (batchSize: number, ratePerSecond: number): number =>
  Math.ceil((batchSize * 1000) / ratePerSecond);

export function newRun(
  input: Pick<RedriveRun, "id" | "scope" | "batchSize" | "ratePerSecond" | "total" | "startedBy">,
  now: number,
): RedriveRun {
  return {
    ...input,
    state: "running",
    redriven: 0,
    failed: 0,
    remaining: input.total,
    failures: [],
    position: null,
    batches: 0,
    createdAt: now,
    updatedAt: now,
    nextBatchAt: now,
    finishedAt: null,
    lastError: null,
    version: 1,
  };
}

export const isDue = (run: RedriveRun, now: number): boolean =>
  run.state === "running" && run.nextBatchAt !== null && now >= run.nextBatchAt;

const changed = (run: RedriveRun, now: number, patch: Partial<RedriveRun>): RedriveRun => ({
  ...run,
  ...patch,
  updatedAt: now,
  version: run.version + 1,
});

/** The run after a batch that started at `now`: done once nothing is left, else due one interval on. */
export function afterBatch(run: RedriveRun, batch: RedriveBatch, now: number): RedriveRun {
  const done = batch.last === null || batch.remaining === 0;
  return changed(run, now, {
    redriven: run.redriven + batch.redriven.length,
    failed: run.failed + batch.failed.length,
    failures: [...run.failures, ...batch.failed].slice(-FAILURES_KEPT),
    position: batch.last ?? run.position,
    remaining: done ? 0 : batch.remaining,
    batches: run.batches + 1,
    lastError: null,
    ...(done
      ? { state: "done" as const, nextBatchAt: null, finishedAt: now }
      : { nextBatchAt: now + batchIntervalMs(run.batchSize, run.ratePerSecond) }),
  });
}

/** The run after a batch that could not run: nothing moved, try again shortly. */
export const afterBatchError = (run: RedriveRun, error: string, now: number): RedriveRun =>
  changed(run, now, { lastError: error, nextBatchAt: now + BATCH_RETRY_MS });

/**
 * An operator's command: pause a running run (no batch starts until resumed; one in flight finishes),
 * resume a paused one (its next batch at once), cancel one that has not finished. Anything else is
 * refused with why.
 */
export function control(
  run: RedriveRun,
  command: RedriveRunCommand,
  now: number,
): { ok: true; run: RedriveRun } | { ok: false; reason: string } {
  switch (command) {
    case "pause":
      return run.state === "running"
        ? { ok: true, run: changed(run, now, { state: "paused", nextBatchAt: null }) }
        : { ok: false, reason: `Only a running run can be paused; this one is ${run.state}.` };
    case "resume":
      return run.state === "paused"
        ? { ok: true, run: changed(run, now, { state: "running", nextBatchAt: now }) }
        : { ok: false, reason: `Only a paused run can be resumed; this one is ${run.state}.` };
    case "cancel":
      return isFinished(run)
        ? { ok: false, reason: `The run is already ${run.state}.` }
        : {
            ok: true,
            run: changed(run, now, { state: "cancelled", nextBatchAt: null, finishedAt: now }),
          };
    default: {
      const unknown: never = command;
      throw new Error(`Unknown redrive run command: ${String(unknown)}`);
    }
  }
}
