/**
 * Rewrites a report from a saved run, without measuring again: `tsx bench/render.ts <results.json>
 * [out.md]` (default out: docs/BENCHMARKS.md). For changes to the report's layout; the figures are the
 * saved run's. The load guard applies as it did to the run: a busy run (or one saved before the guard
 * measured anything) is not rendered into docs/BENCHMARKS.md unless BENCH_ALLOW_LOAD=1.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { keepingSections } from "./lib/doc-sections";
import { loadGuardSettings } from "./lib/load-guard";
import { loadJudgement, markdownReport, type ReportInput } from "./lib/report";
import { upgradeSavedResult } from "./lib/results";

const docs = join(import.meta.dirname, "..", "docs", "BENCHMARKS.md");
const [input, output = docs] = process.argv.slice(2);
if (!input) {
  console.error("usage: tsx bench/render.ts <bench/.results/…json> [out.md]");
  process.exit(2);
}
const saved = JSON.parse(await readFile(input, "utf8")) as ReportInput;
saved.results = saved.results.map(upgradeSavedResult);
saved.config.loadGuard ??= loadGuardSettings(process.env);
const load = loadJudgement(saved);
if (resolve(output) === docs && !load.publish) {
  console.error(`[bench] ${load.summary}`);
  process.exit(1);
}
await writeFile(output, await keepingSections(output, markdownReport(saved)));
console.log(`[bench] wrote ${output} from ${input}`);
