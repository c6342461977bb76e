import type { Clock } from "../../platform/clock";
import type { Db } from "../../platform/db/client";
import { type EventStream, followVersions } from "../../platform/http/event-stream";
import { findJob } from "../../platform/jobs/find-job";
import { isTerminalJobStatus } from "../../platform/jobs/job";
import type { JobRow } from "../../platform/jobs/schema";
import { toJobResponse } from "./jobs.schemas";

/**
 * How often an open stream re-reads the job. Progress is committed per unit of work in D1, so the
 * stream reads it from there: one indexed read per interval per open stream, and no second copy of
 * the job's state to keep in step.
 */
export const JOB_POLL_MS = 500;
export const KEEP_ALIVE_MS = 15_000;
export const MAX_STREAM_MS = 10 * 60_000;

/** Whether a client whose Last-Event-ID is `lastSeenVersion` has already seen the job's end. */
export const sawJobEnd = (row: JobRow, lastSeenVersion: number) =>
  isTerminalJobStatus(row.status) && row.version <= lastSeenVersion;

/**
 * Writes a job's states to its event stream (`followVersions`): its current state at once (unless the
 * client already saw it, per Last-Event-ID), then each new version, returning after the terminal state
 * (or after MAX_STREAM_MS: the EventSource reconnects).
 */
export const followJob = (
  stream: EventStream,
  db: Db,
  first: JobRow,
  ownerId: string,
  lastSeenVersion: number,
  clock: Clock,
): Promise<void> =>
  followVersions(stream, {
    first,
    lastSeenVersion,
    read: () => findJob(db, first.id, ownerId),
    event: "job",
    data: toJobResponse,
    ended: (row) => isTerminalJobStatus(row.status),
    clock,
    pollMs: JOB_POLL_MS,
    keepAliveMs: KEEP_ALIVE_MS,
    maxMs: MAX_STREAM_MS,
  });
