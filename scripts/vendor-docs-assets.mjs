// Copies the Scalar API reference bundle into the static assets folder so /docs renders fully offline
// (the usual CDN script tag would not load on a machine without internet). Runs on `npm install`.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const out = join(import.meta.dirname, "..", "public", "docs");
mkdirSync(out, { recursive: true });
copyFileSync(require.resolve("@scalar/api-reference/browser/standalone.js"), join(out, "scalar.js"));
