import type { Db } from "../../db/client";
import type { JobRow } from "../../db/schema-jobs";
import { isTerminalJobStatus } from "../../domain/jobs/job";
import { sseEvent, sseKeepAlive, sseRetry } from "../../platform/http/event-stream";
import { findOwnJob } from "../../platform/jobs/find-job";
import { toJobResponse } from "./jobs.schemas";

/**
 * How often an open stream re-reads the job. Progress is committed per unit of work in D1, so the
 * stream reads it from there: one indexed read per interval per open stream, and no second copy of
 * the job's state to keep in step.
 */
export const JOB_POLL_MS = 500;
const KEEP_ALIVE_MS = 15_000;
const MAX_STREAM_MS = 10 * 60_000;

const frame = (row: JobRow) => sseEvent("job", row.version, toJobResponse(row));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A job's Server-Sent Events: `retry:`, its current state at once (unless the client already saw it, per
 * Last-Event-ID), then each new version, closing after the terminal state. A client that stops reading
 * ends the loop at its next write. Null when the client has already seen the terminal state: it is
 * answered 204, so its EventSource stops reconnecting.
 */
export function jobEventStream(
  db: Db,
  first: JobRow,
  ownerId: string,
  lastSeenVersion: number,
): ReadableStream | null {
  if (isTerminalJobStatus(first.status) && first.version <= lastSeenVersion) return null;
  let cancelled = false;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const startedAt = Date.now();
      let seen = lastSeenVersion;
      let lastWrite = Date.now();
      let row = first;
      try {
        controller.enqueue(sseRetry());
        while (!cancelled) {
          if (row.version > seen) {
            controller.enqueue(frame(row));
            seen = row.version;
            lastWrite = Date.now();
          }
          if (isTerminalJobStatus(row.status) || Date.now() - startedAt > MAX_STREAM_MS) break;
          if (Date.now() - lastWrite >= KEEP_ALIVE_MS) {
            controller.enqueue(sseKeepAlive());
            lastWrite = Date.now();
          }
          await sleep(JOB_POLL_MS);
          row = await findOwnJob(db, first.id, ownerId);
        }
        controller.close();
      } catch (err) {
        controller.error(err);
      }
    },
    cancel() {
      cancelled = true;
    },
  });
}
