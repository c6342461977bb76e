/**
 * The production bundle's budget, checked by `npm run build` after `wrangler deploy --dry-run --outdir
 * dist`: dist/index.js gzipped must stay under BUNDLE_GZIP_BYTES. Cloudflare refuses a Worker over 3 MB
 * compressed on the free plan (10 MB paid) and a bigger script takes longer to start in every new isolate,
 * so the budget is set well under the free limit, with room for growth over today's size, to catch a
 * dependency pulled in by mistake rather than to grow into. Startup time itself has its own budget,
 * checked next (scripts/startup-time.ts).
 *
 * `tsx scripts/bundle-budget.ts [file]` prints the size and exits 1 past the budget.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export const BUNDLE_GZIP_BYTES = 640 * 1024;

/** Why the bundle is over budget, or null when it fits. */
export function bundleOverBudget(gzipBytes: number, budget = BUNDLE_GZIP_BYTES): string | null {
  return gzipBytes > budget
    ? `the production bundle is ${gzipBytes} B gzipped, over its budget of ${budget} B (see scripts/bundle-budget.ts)`
    : null;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2] ?? join(import.meta.dirname, "..", "dist", "index.js");
  const bytes = readFileSync(file);
  const gzipBytes = gzipSync(bytes, { level: 9 }).length;
  console.log(
    `dist/index.js ${bytes.length} B, ${gzipBytes} B gzipped (budget ${BUNDLE_GZIP_BYTES} B gzipped, ${((100 * gzipBytes) / BUNDLE_GZIP_BYTES).toFixed(0)}% used)`,
  );
  const over = bundleOverBudget(gzipBytes);
  if (over) console.error(`✖ ${over}`);
  process.exitCode = over ? 1 : 0;
}
