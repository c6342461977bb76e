/**
 * `npm start`: Crossdock on this machine, offline, with everything local.
 *
 * 1. creates .dev.vars from .dev.vars.example the first time (local admin secrets),
 * 2. applies the D1 migrations to the local database,
 * 3. seeds the demo data (idempotent: running `npm start` again changes nothing), one line per step,
 * 4. runs `wrangler dev` on port 8787 (PORT overrides) with the worker's cron triggers fired on their
 *    schedule (scripts/local-runtime.ts). LOG_LEVEL=debug prints a line per cron fired.
 * 5. prints the URLs and demo credentials once the server answers, so they are the last thing on screen.
 */
import { join } from "node:path";
import { prepareLocalState, startLocalRuntime } from "./local-runtime";

const root = join(import.meta.dirname, "..");
const PORT = Number(process.env.PORT ?? 8787);

function fail(err: unknown): never {
  console.error(`✖ ${(err as Error).message}.`);
  process.exit(1);
}

let secrets: Record<string, string>;
try {
  secrets = prepareLocalState(root, Number(process.env.SEED_PRODUCTS ?? 5000));
} catch (err) {
  fail(err);
}

const base = `http://127.0.0.1:${PORT}`;
const banner = `
──────────────────────────────────────────────────────────────
 Crossdock is running on ${base}

   Shop            ${base}/shop      (sign in as the demo buyer below)
   Merchant        ${base}/merchant  (sign in as the demo merchant)
   Console         ${base}/console   (sign in as the admin below)
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
`;

const debug = process.env.LOG_LEVEL === "debug";
const runtime = await startLocalRuntime({
  root,
  port: PORT,
  cronLog: {
    debug: (line) => {
      if (debug) console.log(`[crons] ${line}`);
    },
    warn: (line) => console.warn(`[crons] ${line}`),
  },
}).catch(fail);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void runtime.stop(signal));
// After wrangler's own start-up lines: the first cron run settles once the server has answered.
void runtime.crons.started.then(async () => {
  const up = await fetch(`${base}/health`).then(
    (res) => res.ok,
    () => false,
  );
  if (up) console.log(banner);
  else console.warn(`✖ ${base}/health does not answer; see wrangler's output above.`);
});
process.exit((await runtime.exited) ?? 0);
