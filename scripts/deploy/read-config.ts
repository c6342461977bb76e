import { join } from "node:path";
import { unstable_readConfig } from "wrangler";
import { checkEnv, DEPLOYABLE_ENVS, distinctResources, type EnvConfig, type EnvName } from "./config-checks";

export const ROOT = join(import.meta.dirname, "..", "..");

/** One environment of wrangler.toml, resolved as wrangler resolves it (`local`: the top level). */
export function readEnv(env: EnvName): EnvConfig {
  return unstable_readConfig(
    { config: join(ROOT, "wrangler.toml"), env: env === "local" ? undefined : env },
    { hideWarnings: true },
  ) as EnvConfig;
}

/** The environments a `--env` flag names: one, or `all` (the top level and every deployable one). */
export function envsNamed(flag: string | undefined): EnvName[] {
  if (flag === undefined || flag === "all") return ["local", ...DEPLOYABLE_ENVS];
  if ((DEPLOYABLE_ENVS as readonly string[]).includes(flag)) return [flag as EnvName];
  throw new Error(`Unknown environment "${flag}": use ${DEPLOYABLE_ENVS.join(", ")} or all.`);
}

/** Checks the environments, prints a verdict per environment, and says whether all of them pass. */
export function checkConfig(envs: EnvName[], allowPlaceholders: boolean): boolean {
  const local = readEnv("local");
  const configs: Partial<Record<EnvName, EnvConfig>> = {};
  let ok = true;
  for (const env of envs) {
    const config = env === "local" ? local : readEnv(env);
    configs[env] = config;
    const problems = checkEnv(env, config, local, { allowPlaceholders });
    ok &&= problems.length === 0;
    console.log(problems.length ? `✖ ${env}` : `✔ ${env}`);
    for (const p of problems) console.log(`  - ${p}`);
  }
  const shared = distinctResources(configs);
  for (const p of shared) console.log(`✖ ${p}`);
  return ok && shared.length === 0;
}
