import { writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { readIfExists, withSection } from "./doc-sections";
import { judgeLoad, loadGuardSettings, type SectionDestination, sectionDestination } from "./load-guard";
import { sampleOutsideLoad } from "./outside-load";

export interface SectionReport {
  /** The repository root (docs/ and bench/.results/ are found from it). */
  root: string;
  /** The file name, without extension, of the run under bench/.results/, e.g. `events-2026-…`. */
  stamp: string;
  /** The harness's markers in bench/lib/doc-sections.ts. */
  markers: { readonly start: string; readonly end: string };
  /** The section's Markdown, without the markers. */
  body: string;
  /** A shortened run: its section goes to bench/.results/ only, whatever the load. */
  smoke: boolean;
  log: (message: string) => void;
}

/**
 * The load guard for a harness that owns one section of docs/BENCHMARKS.md, as `npm run bench` applies
 * it to the whole file: a full run samples the outside load now (the harness idle) and writes the
 * section into docs/BENCHMARKS.md only when BENCH_MAX_LOAD / BENCH_ALLOW_LOAD allow; otherwise the
 * section goes to bench/.results/<stamp>.md, the reason goes to stderr, and `refused` tells the harness
 * to exit non-zero.
 *
 * @example
 * const { refused } = await publishSection({ root, stamp, markers: EVENTS_MARKERS, body, smoke, log });
 * return refused ? 1 : code;
 */
export async function publishSection(report: SectionReport): Promise<SectionDestination & { path: string }> {
  const { root, stamp, markers, body, smoke, log } = report;
  const load = smoke ? null : judgeLoad([await sampleOutsideLoad()], loadGuardSettings(process.env));
  const destination = sectionDestination(smoke, load);
  if (load) (destination.refused ? (m: string) => console.error(`[bench] ${m}`) : log)(load.summary);
  const path =
    destination.target === "docs"
      ? join(root, "docs", "BENCHMARKS.md")
      : join(root, "bench", ".results", `${stamp}.md`);
  await writeFile(path, withSection(await readIfExists(path), body, markers));
  log(`report: ${relative(root, path)}${destination.note}`);
  return { ...destination, path };
}
