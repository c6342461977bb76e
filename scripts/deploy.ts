/**
 * npm run deploy -- <staging|production>
 *
 * The config check with no placeholder allowed, then the D1 migrations on the remote database, then the
 * worker: in that order, so a deploy never runs code against a schema it does not know (migrations only
 * add, docs/DEPLOY.md). Every D1 database of the environment gets the migrations: the shards
 * (DB_SHARD_n) carry the whole schema, like DB. Stops at the first step that fails. Needs `wrangler login` or CLOUDFLARE_API_TOKEN.
 */
import { spawnSync } from "node:child_process";
import { DEPLOYABLE_ENVS, type EnvName } from "./deploy/config-checks";
import { checkConfig, ROOT, readEnv } from "./deploy/read-config";

const env = process.argv[2];
if (!env || !(DEPLOYABLE_ENVS as readonly string[]).includes(env)) {
  console.error(`usage: npm run deploy -- <${DEPLOYABLE_ENVS.join("|")}>`);
  process.exit(2);
}
if (!checkConfig([env as EnvName], false)) {
  console.error(`Not deploying ${env}: fix wrangler.toml first (docs/DEPLOY.md).`);
  process.exit(1);
}
const databases = readEnv(env as EnvName).d1_databases.map((d) => d.binding);
for (const args of [
  ...databases.map((binding) => ["d1", "migrations", "apply", binding, "--env", env, "--remote"]),
  ["deploy", "--env", env],
]) {
  console.log(`→ npx wrangler ${args.join(" ")}`);
  // CI=true: wrangler would otherwise ask before applying migrations.
  const res = spawnSync("npx", ["wrangler", ...args], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
  });
  if (res.status !== 0) process.exit(res.status ?? 1);
}
