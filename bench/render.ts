/**
 * Rewrites a report from a saved run, without measuring again: `tsx bench/render.ts <results.json>
 * [out.md]` (default out: docs/BENCHMARKS.md). For changes to the report's layout; the figures are the
 * saved run's.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { keepingSections } from "./lib/doc-sections";
import { markdownReport, type ReportInput } from "./lib/report";

const [input, output = join(import.meta.dirname, "..", "docs", "BENCHMARKS.md")] = process.argv.slice(2);
if (!input) {
  console.error("usage: tsx bench/render.ts <bench/.results/…json> [out.md]");
  process.exit(2);
}
const saved = JSON.parse(await readFile(input, "utf8")) as ReportInput;
await writeFile(output, await keepingSections(output, markdownReport(saved)));
console.log(`[bench] wrote ${output} from ${input}`);
