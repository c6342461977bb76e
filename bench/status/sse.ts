/**
 * A Server-Sent Events client that timestamps frames as they arrive: the first one (what a page shows
 * first) and the one `isTerminal` picks (the flow is done), both in performance.now() milliseconds.
 */
export interface StreamTimes {
  firstEventAt: number | null;
  terminalAt: number | null;
  events: number;
  /** The HTTP status of the stream request. */
  status: number;
}

export async function followStream(
  url: URL,
  headers: Record<string, string>,
  isTerminal: (event: string, data: unknown) => boolean,
  timeoutMs: number,
): Promise<StreamTimes> {
  const times: StreamTimes = { firstEventAt: null, terminalAt: null, events: 0, status: 0 };
  const res = await fetch(url, {
    headers: { ...headers, accept: "text/event-stream" },
    signal: AbortSignal.timeout(timeoutMs),
  });
  times.status = res.status;
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    return times;
  }
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end = buffer.indexOf("\n\n");
      while (end !== -1) {
        const block = buffer.slice(0, end).split("\n");
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
        const data = block.find((l) => l.startsWith("data: "))?.slice(6);
        if (data === undefined) continue;
        const event = block.find((l) => l.startsWith("event: "))?.slice(7) ?? "message";
        const at = performance.now();
        times.events++;
        times.firstEventAt ??= at;
        if (isTerminal(event, JSON.parse(data))) {
          times.terminalAt = at;
          await res.body.cancel().catch(() => {});
          return times;
        }
      }
    }
  } catch (err) {
    if ((err as Error).name !== "TimeoutError" && (err as Error).name !== "AbortError") throw err;
  }
  return times;
}
