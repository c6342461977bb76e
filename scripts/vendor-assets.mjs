// Copies the browser code the pages use from npm into the static assets folder (public/), so every page
// works offline and nothing is fetched from a CDN: the Scalar API reference bundle for /docs and uPlot for
// the console's charts. public/console/ (the console's own stylesheet and script) is committed; the rest
// of public/ is written here. Runs on `npm install`.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const publicDir = join(import.meta.dirname, "..", "public");

const copies = [
  ["@scalar/api-reference/browser/standalone.js", "docs/scalar.js"],
  ["uplot/dist/uPlot.iife.min.js", "vendor/uplot/uPlot.iife.min.js"],
  ["uplot/dist/uPlot.min.css", "vendor/uplot/uPlot.min.css"],
];
for (const [from, to] of copies) {
  const target = join(publicDir, to);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(require.resolve(from), target);
}
