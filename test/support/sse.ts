/** One Server-Sent Event as a client sees it. */
export interface SseEvent {
  event: string;
  id: string | null;
  data: unknown;
}

/** The blocks of a whole event stream (it must end by itself), each its field lines; comments skipped. */
export async function readSseBlocks(res: Response): Promise<string[][]> {
  const text = await res.text();
  return text
    .split("\n\n")
    .map((chunk) => chunk.split("\n").filter((line) => line && !line.startsWith(":")))
    .filter((lines) => lines.length > 0);
}

const field = (lines: string[], name: string) =>
  lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2) ?? null;

/**
 * Parses a whole event stream's events. A block without `data` (such as a lone `retry:`) fires no event
 * in an EventSource, so it is not one here either.
 */
export async function readSseEvents(res: Response): Promise<SseEvent[]> {
  return (await readSseBlocks(res))
    .filter((lines) => field(lines, "data") !== null)
    .map((lines) => ({
      event: field(lines, "event") ?? "message",
      id: field(lines, "id"),
      data: JSON.parse(field(lines, "data") as string),
    }));
}
