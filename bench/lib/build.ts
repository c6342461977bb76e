import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const wranglerBin = join(
  createRequire(import.meta.url).resolve("wrangler/package.json"),
  "..",
  "bin",
  "wrangler.js",
);

export interface Compatibility {
  compatibilityDate: string;
  compatibilityFlags: string[];
}

/**
 * Bundles a worker with `wrangler deploy --dry-run --outdir`, which is what CI builds for production,
 * and returns the path of the bundle's entry module. Wrangler's output is shown only when it fails.
 */
async function wranglerBuild(root: string, outdir: string, extraArgs: string[]): Promise<string> {
  const args = [wranglerBin, "deploy", "--dry-run", "--outdir", outdir, ...extraArgs];
  try {
    await run(process.execPath, args, { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const { stdout = "", stderr = "" } = err as { stdout?: string; stderr?: string };
    throw new Error(`wrangler build failed (${args.slice(1).join(" ")}):\n${stdout}${stderr}`);
  }
  return join(outdir, "index.js");
}

/** The production bundle, from the project's own wrangler.toml. */
export const buildCrossdock = (root: string, outdir: string) => wranglerBuild(root, outdir, []);

/** The baseline, bundled by the same tool, on crossdock's compatibility date and flags. */
export const buildBare = (root: string, outdir: string, compat: Compatibility) =>
  wranglerBuild(root, outdir, [
    "--config",
    join("bench", "bare-worker", "wrangler.toml"),
    "--compatibility-date",
    compat.compatibilityDate,
    ...compat.compatibilityFlags.flatMap((flag) => ["--compatibility-flags", flag]),
  ]);
