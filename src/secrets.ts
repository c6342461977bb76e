import type { MiddlewareHandler } from "hono";
import { shardConfigProblem } from "./platform/db/shards";
import { AppError } from "./platform/errors";
import { createLogger } from "./platform/observability/logger";

/**
 * Every secret the worker reads, in one list: wrangler.toml's `[secrets] required` of each environment
 * must name exactly these (`npm run check:config`), and a request is refused while one that the
 * configuration needs is unset. A provider's key is needed only where that provider is configured: the
 * sandbox and the mailbox need none.
 */
export const SECRETS = [
  // Where the providers are real (staging, production) an operator must be able to sign in. Locally, in
  // tests and benchmarks (sandbox and mailbox) they are optional: without them the console stays closed.
  { name: "ADMIN_EMAIL", neededWhen: (vars: SecretVars) => deployed(vars) },
  { name: "ADMIN_PASSWORD", neededWhen: (vars: SecretVars) => deployed(vars) },
  { name: "EMAIL_API_KEY", neededWhen: (vars: SecretVars) => vars.EMAIL_PROVIDER === "http" },
  { name: "PAYMENTS_API_KEY", neededWhen: (vars: SecretVars) => vars.PAYMENTS_PROVIDER === "http" },
] as const satisfies readonly { name: string; neededWhen: (vars: SecretVars) => boolean }[];

/** An environment with a real payment or email provider: one that serves real buyers. */
function deployed(vars: SecretVars): boolean {
  return vars.EMAIL_PROVIDER === "http" || vars.PAYMENTS_PROVIDER === "http";
}

export type SecretName = (typeof SECRETS)[number]["name"];
type SecretVars = Partial<Record<"EMAIL_PROVIDER" | "PAYMENTS_PROVIDER", string>>;

/** The names (never the values) of the secrets this configuration needs and does not have. */
export function missingSecrets(env: SecretVars & Partial<Record<SecretName, string>>): SecretName[] {
  return SECRETS.filter((s) => s.neededWhen(env) && !env[s.name]?.trim()).map((s) => s.name);
}

// One log line per isolate and set of missing names: every request is refused, only the first is worth a line.
const reported = new Set<string>();

// The documents read no binding and say what `misconfigured` means, so they stay up (and
// scripts/export-openapi.ts reads /openapi.json with an empty env).
const DOCUMENTS = /^\/(openapi\.json|asyncapi\.json|docs(\/.*)?|problems(\/.*)?)$/;

/**
 * Refuses every request but the documents with a 503 `misconfigured` problem while a needed secret is
 * unset (or D1_SHARDS names a shard binding that is not there), so a deploy that forgot `wrangler secret put` fails its first /health check by name instead of
 * failing later, inside a consumer, as a payment or email error.
 */
export const requireSecrets: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  const missing = DOCUMENTS.test(c.req.path) ? [] : missingSecrets(c.env);
  if (missing.length === 0) {
    // The same for D1_SHARDS without its DB_SHARD_n bindings: refused by name, never a 500 per query.
    const shards = DOCUMENTS.test(c.req.path) ? null : shardConfigProblem(c.env);
    if (shards === null) return next();
    if (!reported.has(shards)) {
      reported.add(shards);
      createLogger().error("config.shards_misconfigured", { problem: shards, note: "docs/DEPLOY.md" });
    }
    throw new AppError(503, "misconfigured", "Service misconfigured", `${shards}.`, {});
  }
  const key = missing.join(",");
  if (!reported.has(key)) {
    reported.add(key);
    createLogger().error("config.secrets_missing", {
      missing,
      note: "set them with `wrangler secret put <NAME> --env <env>` (docs/DEPLOY.md)",
    });
  }
  throw new AppError(
    503,
    "misconfigured",
    "Service misconfigured",
    `Missing secrets: ${missing.join(", ")}.`,
    { missing },
  );
};
