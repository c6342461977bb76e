import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { configDefaults, defineConfig, type ViteUserConfig } from "vitest/config";

// The plugin reads wrangler.toml through wrangler, whose logger would print "Using secrets defined in
// process.env" and "Missing required secrets" for every test worker it configures: the tests bind their
// own secrets (below), so only wrangler's errors are worth a line. An explicit WRANGLER_LOG wins.
process.env.WRANGLER_LOG ??= "error";

/**
 * drizzle-zod ships a source map that points outside its package; Vite warns about it on every run.
 * Vitest replaces `customLogger`, so the one known warning is dropped from the resolved logger instead.
 */
const quietKnownViteWarnings = {
  name: "crossdock:quiet-known-vite-warnings",
  configResolved(config: { logger: { warnOnce: (msg: string, options?: object) => void } }) {
    const warnOnce = config.logger.warnOnce.bind(config.logger);
    config.logger.warnOnce = (msg, options) => {
      if (msg.includes("drizzle-zod") && msg.includes("points to a source file outside its package")) return;
      warnOnce(msg, options);
    };
  },
};

/**
 * How many D1 databases the sharded tables spread over (src/platform/db/shards.ts): 1 by default, as
 * wrangler.toml; `npm run test:shards` runs the whole workers suite with 4, each extra shard its own
 * local D1. The `shards` project always runs the tests that exercise the seam itself with 4.
 */
const suiteShards = Number(process.env.CROSSDOCK_D1_SHARDS ?? "1");
if (!Number.isInteger(suiteShards) || suiteShards < 1)
  throw new Error("CROSSDOCK_D1_SHARDS must be a whole number ≥ 1");
const SHARDED_FILES = [
  "test/integration/checkout/order-views-shards.test.ts",
  "test/integration/checkout/orders.test.ts",
  "test/integration/d1-bookmarks.test.ts",
  "test/unit/checkout/order-projection-consumer.test.ts",
];

export default defineConfig(async (): Promise<ViteUserConfig> => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  /** The tests inside workerd, with `shards` D1 databases behind the shard seam. */
  const workersProject = (name: string, shards: number, include: string[]) => ({
    extends: true as const,
    plugins: [
      cloudflareTest({
        main: "./src/index.ts",
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          d1Databases: Object.fromEntries(
            Array.from({ length: shards - 1 }, (_, i) => [`DB_SHARD_${i + 1}`, `crossdock-shard-${i + 1}`]),
          ),
          // Secrets come from .dev.vars locally; the tests pin their own so a
          // developer's .dev.vars can never change what the tests see.
          bindings: {
            TEST_MIGRATIONS: migrations,
            D1_SHARDS: String(shards),
            TEST_LOG_LEVEL: process.env.LOG_LEVEL ?? "",
            ADMIN_EMAIL: "admin@test.crossdock",
            ADMIN_PASSWORD: "test-admin-password",
            // Payment calls give up fast, so pm_card_timeout orders settle within a test; not so
            // fast that a declined card's answer, slowed by a loaded machine, reads as a timeout.
            PAYMENT_TIMEOUT_MS: "1000",
            // Fault injection is on in tests, as locally (wrangler.toml keeps production off); the
            // "off" path is tested by passing FAULTS_ENABLED: "false" to the handlers.
            FAULTS_ENABLED: "true",
          },
        },
      }),
    ],
    test: {
      name,
      // Background work (queue consumers, waitUntil) may still log while a test file is torn
      // down, and vitest 4 fails a fully green run with "Closing rpc while onUserConsoleLog was
      // pending" when that goes through its console RPC (vitest-dev/vitest#11153). The worker's
      // logger writes to a per-test buffer instead (test/setup/log-capture.ts), printed only for a
      // failed test; what is still printed (that, LOG_LEVEL=debug) goes straight to stdout.
      disableConsoleIntercept: true,
      include,
      exclude: [...configDefaults.exclude, "test/contract/**", "test/e2e/**", "test/browser/**"],
      setupFiles: [
        "./test/setup/flows.ts",
        "./test/setup/apply-migrations.ts",
        "./test/setup/log-capture.ts",
      ],
    },
  });
  return {
    plugins: [quietKnownViteWarnings],
    test: {
      testTimeout: 30_000,
      // Console output of tests is shown only for failing ones. The worker's JSON log lines do not go
      // through the console at all in the workers project: test/setup/log-capture.ts keeps them per test.
      silent: "passed-only",
      projects: [
        workersProject("workers", suiteShards, ["test/**/*.test.ts"]),
        workersProject("shards", 4, SHARDED_FILES),
        {
          // Checks against the CloudEvents and AsyncAPI specs with the specs' own tooling, in plain Node:
          // @asyncapi/parser compiles JSON schemas at run time (ajv, `new Function`), which workerd
          // forbids, and some of its CommonJS dependencies do not even load there. (The cloudevents SDK
          // ships a precompiled validator that would run in workerd; its check sits here beside the
          // AsyncAPI one.) These tests import only code that touches no binding (src/domain, the
          // catalog-driven parts of src/platform/events), never cloudflare:*.
          extends: true,
          test: {
            name: "contract",
            environment: "node",
            setupFiles: ["./test/setup/flows.ts"],
            include: ["test/contract/**/*.test.ts"],
          },
        },
        {
          // Real clients over a real socket (an EventSource), which tests inside workerd cannot open: the
          // production bundle runs in a Miniflare started from Node, on a port in 8800-8849.
          extends: true,
          test: {
            name: "e2e",
            environment: "node",
            include: ["test/e2e/**/*.test.ts"],
            testTimeout: 60_000,
          },
        },
        {
          // The pages the worker serves (problem types, /docs), in Debian's Chromium driven by
          // playwright-core and checked with axe-core; the production bundle is served as for e2e, once
          // for all files (test/setup/served-worker.ts), on a port in 8800-8849. Screenshots land in
          // test/browser/.screenshots/.
          extends: true,
          test: {
            name: "browser",
            environment: "node",
            include: ["test/browser/**/*.test.ts"],
            globalSetup: ["./test/setup/served-worker.ts"],
            testTimeout: 60_000,
            hookTimeout: 60_000,
          },
        },
      ],
    },
  };
});
