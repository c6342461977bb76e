/**
 * Server-Sent Events plumbing shared by every stream (an order's status, a job's progress). Each event's
 * `id` is its resource's version, so a reconnecting EventSource's `Last-Event-ID` says exactly what the
 * client has seen: a stream sends only later versions, and answers 204 No Content (which tells an
 * EventSource to stop reconnecting) once the client has seen the terminal one.
 */

/** How long an EventSource waits before reconnecting, sent as the `retry:` field of every stream. */
export const SSE_RETRY_MS = 3_000;

const encoder = new TextEncoder();

/** One event: `event`, `id` (the resource's version) and its JSON `data`. */
export const sseEvent = (event: string, version: number, data: unknown): Uint8Array =>
  encoder.encode(`event: ${event}\nid: ${version}\ndata: ${JSON.stringify(data)}\n\n`);

/** The first bytes of every stream: the reconnection delay, in a block of its own (no event fires). */
export const sseRetry = (): Uint8Array => encoder.encode(`retry: ${SSE_RETRY_MS}\n\n`);

/** A comment line that keeps idle proxies from closing the connection. */
export const sseKeepAlive = (): Uint8Array => encoder.encode(": keep-alive\n\n");

/** The last version a client saw, from its `Last-Event-ID`; absent or unparseable means none (0). */
export function lastSeenVersion(header: string | null | undefined): number {
  const n = Number(header);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

/**
 * The answer to a (re)connection: 204 when the client has already seen the terminal version, else the
 * stream. The 204 is how the EventSource spec lets a server say "done, do not reconnect".
 */
export function sseResponse(body: ReadableStream | null): Response {
  if (body === null) return new Response(null, { status: 204 });
  return new Response(body, {
    status: 200,
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache", "x-accel-buffering": "no" },
  });
}
