/**
 * npm run check:config -- [--env staging|production|all] [--allow-placeholders]
 *
 * Fails (exit 1) on a wrangler.toml environment that would not deploy or would deploy wrong; the checks
 * are scripts/deploy/config-checks.ts. `--allow-placeholders` is for CI, which builds every environment
 * before anyone has provisioned a database: every other check still applies. `npm run deploy` never
 * passes it.
 */
import { parseArgs } from "node:util";
import { checkConfig, envsNamed } from "./deploy/read-config";

const { values } = parseArgs({
  options: { env: { type: "string" }, "allow-placeholders": { type: "boolean", default: false } },
});
const allowPlaceholders = values["allow-placeholders"] ?? false;
if (!checkConfig(envsNamed(values.env), allowPlaceholders)) {
  console.error(
    allowPlaceholders
      ? "wrangler.toml would not deploy (placeholder ids allowed)."
      : "wrangler.toml would not deploy.",
  );
  process.exit(1);
}
