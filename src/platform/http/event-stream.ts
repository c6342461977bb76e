import type { Context } from "hono";
import { type SSEStreamingApi, streamSSE } from "hono/streaming";
import type { Clock } from "../clock";

/**
 * Server-Sent Events plumbing shared by every stream (an order's status, a job's progress), on hono's
 * `streamSSE`. Each event's `id` is its resource's version, so a reconnecting EventSource's
 * `Last-Event-ID` says exactly what the client has seen: a stream sends only later versions, and answers
 * 204 No Content (which tells an EventSource to stop reconnecting) once the client has seen the terminal
 * one.
 */

/** How long an EventSource waits before reconnecting, sent as the `retry:` field of every stream. */
export const SSE_RETRY_MS = 3_000;

export type { SSEStreamingApi as EventStream } from "hono/streaming";

/** The last version a client saw, from its `Last-Event-ID`; absent or unparseable means none (0). */
export function lastSeenVersion(header: string | null | undefined): number {
  const n = Number(header);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

/**
 * The answer to a (re)connection: 204 when the client has already seen the terminal version, else the
 * stream, which `follow` writes to and which closes when `follow` settles. `follow` is called before
 * this returns, so a stream that subscribes to changes misses none between the answer and the
 * subscription.
 *
 * @example
 * return eventStream(c, job.terminal && job.version <= seen, async (stream) => {
 *   await writeEvent(stream, "job", job.version, job);
 * });
 */
export function eventStream(
  c: Context,
  clientSawTheEnd: boolean,
  follow: (stream: SSEStreamingApi) => Promise<void>,
): Response {
  if (clientSawTheEnd) return c.body(null, 204);
  c.header("x-accel-buffering", "no");
  return streamSSE(c, async (stream) => {
    // First, in a block of its own: `writeSSE` always writes a `data:` line, and a block with one
    // (even empty) fires an event. Not awaited: a write settles only once the client reads it.
    const retry = stream.write(`retry: ${SSE_RETRY_MS}\n\n`);
    await follow(stream);
    await retry;
  });
}

/** One event: `event`, `id` (the resource's version) and its JSON `data`. */
export const writeEvent = (stream: SSEStreamingApi, event: string, version: number, data: unknown) =>
  stream.writeSSE({ event, id: String(version), data: JSON.stringify(data) });

/** A comment line that keeps idle proxies from closing the connection (`writeSSE` writes no comments). */
export const writeKeepAlive = (stream: SSEStreamingApi) => stream.write(": keep-alive\n\n");

/** How a stream follows one versioned resource (a job, a redrive run). */
export interface Following<T extends { version: number }> {
  first: T;
  /** From the client's Last-Event-ID: versions up to it are not sent again. */
  lastSeenVersion: number;
  read: () => Promise<T>;
  /** The event's name and data for one state. */
  event: string;
  data: (state: T) => unknown;
  /** The final state: the stream closes once it is sent. */
  ended: (state: T) => boolean;
  clock: Clock;
  pollMs: number;
  keepAliveMs: number;
  /** The stream closes after this long (its EventSource reconnects with Last-Event-ID). */
  maxMs: number;
}

/**
 * Writes a resource's states to its event stream: the current one at once (unless the client saw it),
 * then each new version, re-reading every `pollMs` and returning after the final state or `maxMs`. A
 * client that goes away ends the loop at its next poll. Polls and keep-alives keep `clock`'s time.
 *
 * @example
 * await followVersions(stream, { first: job, lastSeenVersion: seen, read: () => findOwnJob(db, id, owner),
 *   event: "job", data: toJobResponse, ended: (j) => isTerminalJobStatus(j.status), clock, pollMs: 500,
 *   keepAliveMs: 15_000, maxMs: 600_000 });
 */
export async function followVersions<T extends { version: number }>(
  stream: SSEStreamingApi,
  f: Following<T>,
): Promise<void> {
  const startedAt = f.clock.now();
  let seen = f.lastSeenVersion;
  let lastWrite = startedAt;
  let state = f.first;
  while (!stream.aborted) {
    if (state.version > seen) {
      await writeEvent(stream, f.event, state.version, f.data(state));
      seen = state.version;
      lastWrite = f.clock.now();
    }
    if (f.ended(state) || f.clock.now() - startedAt > f.maxMs) return;
    if (f.clock.now() - lastWrite >= f.keepAliveMs) {
      await writeKeepAlive(stream);
      lastWrite = f.clock.now();
    }
    await f.clock.sleep(f.pollMs);
    state = await f.read();
  }
}
