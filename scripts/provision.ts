/**
 * npm run provision -- <staging|production> [--dry-run]
 *
 * Creates, in order, what wrangler.toml's environment binds and Cloudflare does not create on deploy: the
 * D1 database, every queue and dead-letter queue, the R2 bucket (scripts/deploy/provision-plan.ts). What
 * exists is skipped, so it can run again. `--dry-run` prints the commands without running any (and
 * without asking the account what exists). Needs `wrangler login` or CLOUDFLARE_API_TOKEN.
 */
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { DEPLOYABLE_ENVS, type EnvName } from "./deploy/config-checks";
import { type Existing, namesIn, planProvision } from "./deploy/provision-plan";
import { ROOT, readEnv } from "./deploy/read-config";

const { values, positionals } = parseArgs({
  options: { "dry-run": { type: "boolean", default: false } },
  allowPositionals: true,
});
const env = positionals[0];
if (!env || !(DEPLOYABLE_ENVS as readonly string[]).includes(env)) {
  console.error(`usage: npm run provision -- <${DEPLOYABLE_ENVS.join("|")}> [--dry-run]`);
  process.exit(2);
}
const config = readEnv(env as EnvName);
const dryRun = values["dry-run"] ?? false;

function wrangler(args: string[], capture: boolean) {
  const res = spawnSync("npx", ["wrangler", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: capture ? "pipe" : "inherit",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  if (res.status !== 0) {
    if (capture) process.stderr.write(`${res.stdout ?? ""}${res.stderr ?? ""}`);
    throw new Error(`wrangler ${args.join(" ")} failed (exit ${res.status ?? res.signal})`);
  }
  return res.stdout ?? "";
}

function existing(): Existing {
  const databases = (JSON.parse(wrangler(["d1", "list", "--json"], true)) as { name: string }[]).map(
    (d) => d.name,
  );
  const prefix = String(config.vars.QUEUE_PREFIX);
  return {
    databases,
    queues: namesIn(wrangler(["queues", "list"], true), prefix),
    buckets: namesIn(wrangler(["r2", "bucket", "list"], true), prefix),
  };
}

const plan = planProvision(config, dryRun ? { databases: [], queues: [], buckets: [] } : existing());
for (const step of plan) {
  const line = `npx wrangler ${step.args.join(" ")}`;
  if (step.skip) console.log(`= ${line}  (skipped: ${step.skip})`);
  else if (dryRun) console.log(line);
  else {
    console.log(`→ ${line}`);
    wrangler(step.args, false);
  }
}
console.log(
  "Rate-limit namespaces need no command (namespace_id in wrangler.toml); Analytics Engine datasets are created by their first write.",
);
if (!dryRun) {
  const db = (JSON.parse(wrangler(["d1", "list", "--json"], true)) as { name: string; uuid: string }[]).find(
    (d) => d.name === config.d1_databases[0]?.database_name,
  );
  if (db)
    console.log(`Put this in wrangler.toml under [[env.${env}.d1_databases]]: database_id = "${db.uuid}"`);
}
