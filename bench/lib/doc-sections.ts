import { readFile } from "node:fs/promises";

/**
 * docs/BENCHMARKS.md holds one report per harness: the HTTP harness writes the file, and each other
 * harness owns a section between its markers, which it rewrites alone and the HTTP harness carries over.
 */
export const EVENTS_MARKERS = { start: "<!-- events:start -->", end: "<!-- events:end -->" } as const;

export const CHECKOUT_MARKERS = { start: "<!-- checkout:start -->", end: "<!-- checkout:end -->" } as const;

export const REPORTS_MARKERS = { start: "<!-- reports:start -->", end: "<!-- reports:end -->" } as const;
export const IMPORTS_MARKERS = { start: "<!-- imports:start -->", end: "<!-- imports:end -->" } as const;
/** Written by `npm run bench:costs` (bench/costs.ts). */
export const COSTS_MARKERS = { start: "<!-- costs:start -->", end: "<!-- costs:end -->" } as const;
export const CHAIN_MARKERS = { start: "<!-- chain:start -->", end: "<!-- chain:end -->" } as const;
export const STATUS_MARKERS = { start: "<!-- status:start -->", end: "<!-- status:end -->" } as const;
/** Written by `npm run bench:d1` (bench/d1-writes.ts). */
export const D1_WRITES_MARKERS = {
  start: "<!-- d1-writes:start -->",
  end: "<!-- d1-writes:end -->",
} as const;
/** Written by `npm run gameday -- all` (gameday/all.ts). */
export const GAMEDAYS_MARKERS = { start: "<!-- gamedays:start -->", end: "<!-- gamedays:end -->" } as const;

/** Written by `npm run bench:all` (bench/all.ts): which commit, when, and what each step did. First in the file. */
export const RUN_MARKERS = { start: "<!-- run:start -->", end: "<!-- run:end -->" } as const;
/** Written by bench/claims.ts: the article's claims, each with the figure that answers it. */
export const CLAIMS_MARKERS = { start: "<!-- claims:start -->", end: "<!-- claims:end -->" } as const;

export type Markers = { readonly start: string; readonly end: string };

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

/** `doc` with the marked section right after its title line (moved there if it was elsewhere). */
export function withSectionFirst(doc: string, body: string, markers: Markers): string {
  const current = sectionOf(doc, markers);
  const rest = current === null ? doc : doc.replace(current, "").replace(/\n{3,}/g, "\n\n");
  const section = `${markers.start}\n\n${body.trim()}\n\n${markers.end}`;
  const newline = rest.indexOf("\n");
  if (newline === -1) return `${rest.trimEnd()}\n\n${section}\n`;
  return `${rest.slice(0, newline)}\n\n${section}\n\n${rest.slice(newline + 1).replace(/^\n+/, "")}`;
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
    CLAIMS_MARKERS,
    EVENTS_MARKERS,
    CHECKOUT_MARKERS,
    REPORTS_MARKERS,
    IMPORTS_MARKERS,
    CHAIN_MARKERS,
    STATUS_MARKERS,
    D1_WRITES_MARKERS,
    COSTS_MARKERS,
    GAMEDAYS_MARKERS,
  ]
    .map((m) => sectionOf(previous, m))
    .filter((s): s is string => s !== null);
  const body = kept.length === 0 ? report : `${report.trimEnd()}\n\n${kept.join("\n\n")}\n`;
  // The run-of-record section stays at the top, where bench:all put it.
  const run = sectionOf(previous, RUN_MARKERS);
  if (run === null) return body;
  return withSectionFirst(body, run.slice(RUN_MARKERS.start.length, -RUN_MARKERS.end.length), RUN_MARKERS);
}
