/**
 * The storefront's script budget, checked by `npm run build`: the pages are server-rendered and work
 * without JavaScript, so their scripts only enhance (live status, countdowns, progress bars, analytics).
 * Each script the storefront and merchant pages load from public/web/ must stay under PER_SCRIPT_BYTES
 * gzipped, and all of them together under TOTAL_BYTES: a page loads web.js and at most a few of its own,
 * so no page ships more than the total. The chart library (uPlot, vendored from npm) is outside the
 * budget and loaded only by the analytics chart page.
 *
 * `tsx scripts/script-budget.ts` prints every script's size and exits 1 past the budget.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/** Gzipped bytes, as a browser downloads them from Cloudflare's edge. */
export const PER_SCRIPT_BYTES = 4 * 1024;
export const TOTAL_BYTES = 12 * 1024;

export interface ScriptSize {
  file: string;
  gzipBytes: number;
}

/** What is over the budget, one sentence each; empty when every script and the total fit. */
export function overBudget(sizes: ScriptSize[], perScript = PER_SCRIPT_BYTES, total = TOTAL_BYTES): string[] {
  const over = sizes
    .filter((s) => s.gzipBytes > perScript)
    .map((s) => `${s.file} is ${s.gzipBytes} B gzipped, over the ${perScript} B a script may take`);
  const sum = sizes.reduce((n, s) => n + s.gzipBytes, 0);
  if (sum > total) over.push(`the storefront's scripts take ${sum} B gzipped together, over ${total} B`);
  return over;
}

function measure(dir: string): ScriptSize[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".js"))
    .sort()
    .map((f) => ({
      file: `public/web/${f}`,
      gzipBytes: gzipSync(readFileSync(join(dir, f)), { level: 9 }).length,
    }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = measure(join(import.meta.dirname, "..", "public", "web"));
  for (const s of sizes) console.log(`${s.file.padEnd(32)} ${String(s.gzipBytes).padStart(6)} B gzipped`);
  const sum = sizes.reduce((n, s) => n + s.gzipBytes, 0);
  console.log(
    `${"total".padEnd(32)} ${String(sum).padStart(6)} B gzipped (budget ${TOTAL_BYTES} B, ${PER_SCRIPT_BYTES} B a script)`,
  );
  const over = overBudget(sizes);
  for (const line of over) console.error(`✖ ${line}`);
  process.exitCode = over.length > 0 ? 1 : 0;
}
