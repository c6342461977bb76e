/** One Server-Sent Event as a client sees it. */
export interface SseEvent {
  event: string;
  id: string | null;
  data: unknown;
}

/** Reads a whole event stream (it must end by itself) and parses its events; comments are skipped. */
export async function readSseEvents(res: Response): Promise<SseEvent[]> {
  const text = await res.text();
  return text
    .split("\n\n")
    .map((chunk) => chunk.split("\n").filter((line) => line && !line.startsWith(":")))
    .filter((lines) => lines.length > 0)
    .map((lines) => {
      const field = (name: string) =>
        lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2) ?? null;
      const data = field("data");
      return {
        event: field("event") ?? "message",
        id: field("id"),
        data: data === null ? null : JSON.parse(data),
      };
    });
}
