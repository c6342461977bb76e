import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join } from "node:path";
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

/** The module wrangler writes for `entry` (its file name, as .js), or `index` for the configured main. */
const entryName = (entry?: string): string => (entry ? basename(entry).replace(/\.ts$/, "") : "index");

/**
 * Bundles a worker with `wrangler deploy --dry-run --outdir`, which is what CI builds for production,
 * and returns the path of the bundle's entry module. Wrangler's output is shown only when it fails.
 */
async function wranglerBuild(
  root: string,
  outdir: string,
  extraArgs: string[],
  entryName = "index",
): Promise<string> {
  const args = [wranglerBin, "deploy", "--dry-run", "--outdir", outdir, ...extraArgs];
  try {
    // Wrangler's debug logs go to the run's temporary folder, not the user's config directory.
    const env = { ...process.env, WRANGLER_LOG_PATH: join(outdir, "..", "wrangler-logs") };
    await run(process.execPath, args, { cwd: root, env, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const { stdout = "", stderr = "" } = err as { stdout?: string; stderr?: string };
    throw new Error(`wrangler build failed (${args.slice(1).join(" ")}):\n${stdout}${stderr}`);
  }
  return join(outdir, `${entryName}.js`);
}

/**
 * The production bundle, from the project's own wrangler.toml; given `entry`, a module that wraps the
 * production entry point under the same configuration (bench/overhead-worker/). Wrangler refuses to
 * build when the static-assets folder is missing, which it is in a clone where `npm install` has not
 * run its postinstall step; that step is run here instead, as CI's install would.
 */
export async function buildCrossdock(
  root: string,
  outdir: string,
  assetsDirectory?: string,
  entry?: string,
): Promise<string> {
  // public/console/ is committed, so the folder alone does not say the vendored files are there.
  if (assetsDirectory && !existsSync(join(assetsDirectory, "docs", "scalar.js"))) {
    await run(process.execPath, [join(root, "scripts", "vendor-assets.mjs")], { cwd: root });
  }
  return wranglerBuild(root, outdir, entry ? [entry] : [], entryName(entry));
}

/**
 * A benchmark-only worker (a baseline, a loader), bundled by the same tool on crossdock's compatibility
 * date and flags. `config` is its build-only wrangler.toml; `entry`, when given, overrides its `main`.
 */
export const buildBenchWorker = (
  root: string,
  outdir: string,
  compat: Compatibility,
  config: string,
  entry?: string,
) =>
  wranglerBuild(
    root,
    outdir,
    [
      // Before the options: --compatibility-flags takes every following word as a flag.
      ...(entry ? [entry] : []),
      "--config",
      config,
      "--compatibility-date",
      compat.compatibilityDate,
      ...compat.compatibilityFlags.flatMap((flag) => ["--compatibility-flags", flag]),
    ],
    entryName(entry),
  );

/** An HTTP baseline (`same-sql-worker`, `floor-worker`), bundled by the same tool on crossdock's settings. */
export const buildBaseline = (
  root: string,
  outdir: string,
  compat: Compatibility,
  folder: "same-sql-worker" | "floor-worker",
) => buildBenchWorker(root, outdir, compat, join("bench", folder, "wrangler.toml"));
