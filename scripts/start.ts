/**
 * `npm start`: Crossdock on this machine, offline, with everything local.
 *
 * 1. creates .dev.vars from .dev.vars.example the first time (local admin secrets),
 * 2. applies the D1 migrations to the local database,
 * 3. seeds the demo catalog (idempotent: running `npm start` again changes nothing),
 * 4. prints the URLs and demo credentials, then runs `wrangler dev` on port 8787.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" };
const PORT = Number(process.env.PORT ?? 8787);
// CROSSDOCK_STATE_DIR: local D1/DO/R2 state somewhere other than .wrangler/state (the crash test's own).
const persist = process.env.CROSSDOCK_STATE_DIR ? ["--persist-to", process.env.CROSSDOCK_STATE_DIR] : [];

function run(cmd: string, args: string[], what: string): void {
  console.log(`\n▶ ${what}`);
  // CI=true keeps wrangler from asking for confirmation; these steps must run unattended.
  const res = spawnSync(cmd, args, { cwd: root, env: { ...env, CI: "true" }, stdio: "inherit" });
  if (res.status !== 0) {
    console.error(`✖ ${what} failed (exit ${res.status ?? res.signal}).`);
    process.exit(res.status ?? 1);
  }
}

function devVars(): Record<string, string> {
  const file = join(root, ".dev.vars");
  if (!existsSync(file)) {
    copyFileSync(join(root, ".dev.vars.example"), file);
    console.log("Created .dev.vars from .dev.vars.example (local secrets; git-ignored).");
  }
  const vars: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
    if (m?.[1] && m[2] !== undefined) vars[m[1]] = m[2].replace(/^"(.*)"$/, "$1");
  }
  return vars;
}

const secrets = devVars();
if (!existsSync(join(root, "public", "docs", "scalar.js")))
  run("node", ["scripts/vendor-docs-assets.mjs"], "Vendoring the API reference bundle");
run("wrangler", ["d1", "migrations", "apply", "DB", "--local", ...persist], "Applying D1 migrations (local)");
run(
  "tsx",
  ["scripts/seed.ts", "--products", process.env.SEED_PRODUCTS ?? "5000", ...persist],
  "Seeding the demo catalog",
);

const base = `http://127.0.0.1:${PORT}`;
console.log(`
──────────────────────────────────────────────────────────────
 Crossdock is starting on ${base}

   API reference   ${base}/docs
   OpenAPI         ${base}/openapi.json
   Health          ${base}/health
   Search          ${base}/v1/products?q=lamp

 Demo accounts (password for both: demo-password-1)
   buyer           buyer@demo.crossdock
   merchant        merchant@demo.crossdock
 Admin (from .dev.vars)
   ${secrets.ADMIN_EMAIL ?? "(ADMIN_EMAIL not set)"} / ${secrets.ADMIN_PASSWORD ? secrets.ADMIN_PASSWORD : "(ADMIN_PASSWORD not set)"}

 Try:
   curl -s ${base}/v1/auth/login -H 'content-type: application/json' \\
     -d '{"email":"buyer@demo.crossdock","password":"demo-password-1"}'
──────────────────────────────────────────────────────────────
`);

const dev = spawn("wrangler", ["dev", "--port", String(PORT), "--ip", "127.0.0.1", ...persist], {
  cwd: root,
  env,
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));
