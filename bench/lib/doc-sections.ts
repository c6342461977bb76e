import { readFile } from "node:fs/promises";

/**
 * docs/BENCHMARKS.md holds one report per harness: the HTTP harness writes the file, and each other
 * harness owns a section between its markers, which it rewrites alone and the HTTP harness carries over.
 */
export const EVENTS_MARKERS = { start: "<!-- events:start -->", end: "<!-- events:end -->" } as const;

export const CHECKOUT_MARKERS = { start: "<!-- checkout:start -->", end: "<!-- checkout:end -->" } as const;

export const REPORTS_MARKERS = { start: "<!-- reports:start -->", end: "<!-- reports:end -->" } as const;
export const IMPORTS_MARKERS = { start: "<!-- imports:start -->", end: "<!-- imports:end -->" } as const;
export const CHAIN_MARKERS = { start: "<!-- chain:start -->", end: "<!-- chain:end -->" } as const;
export const STATUS_MARKERS = { start: "<!-- status:start -->", end: "<!-- status:end -->" } as const;
/** Written by `npm run gameday -- all` (gameday/all.ts). */
export const GAMEDAYS_MARKERS = { start: "<!-- gamedays:start -->", end: "<!-- gamedays:end -->" } as const;

type Markers = { readonly start: string; readonly end: string };

/** The marked section of `doc`, markers included, or null when it has none. */
export function sectionOf(doc: string, markers: Markers = EVENTS_MARKERS): string | null {
  const start = doc.indexOf(markers.start);
  const end = doc.indexOf(markers.end, start);
  return start === -1 || end === -1 ? null : doc.slice(start, end + markers.end.length);
}

/** `doc` with its marked section replaced by `body` (wrapped in the markers), or with it appended. */
export function withSection(doc: string, body: string, markers: Markers = EVENTS_MARKERS): string {
  const section = `${markers.start}\n\n${body.trim()}\n\n${markers.end}`;
  const current = sectionOf(doc, markers);
  if (current !== null) return doc.replace(current, () => section);
  return `${doc.trimEnd()}\n\n${section}\n`;
}

/** The text of a file, or "" when it does not exist yet. */
export const readIfExists = (path: string) =>
  readFile(path, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return "";
    throw err;
  });

/** A whole-file report that keeps the marked sections the previous version of the file had. */
export async function keepingSections(path: string, report: string): Promise<string> {
  const previous = await readIfExists(path);
  const kept = [
    EVENTS_MARKERS,
    CHECKOUT_MARKERS,
    REPORTS_MARKERS,
    IMPORTS_MARKERS,
    CHAIN_MARKERS,
    STATUS_MARKERS,
    GAMEDAYS_MARKERS,
  ]
    .map((m) => sectionOf(previous, m))
    .filter((s): s is string => s !== null);
  return kept.length === 0 ? report : `${report.trimEnd()}\n\n${kept.join("\n\n")}\n`;
}
