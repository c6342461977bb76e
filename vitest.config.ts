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

export default defineConfig(async (): Promise<ViteUserConfig> => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    plugins: [quietKnownViteWarnings],
    test: {
      testTimeout: 30_000,
      // Console output of tests is shown only for failing ones. The worker's JSON log lines do not go
      // through the console at all in the workers project: test/setup/log-capture.ts keeps them per test.
      silent: "passed-only",
      projects: [
        {
          extends: true,
          plugins: [
            cloudflareTest({
              main: "./src/index.ts",
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                // Secrets come from .dev.vars locally; the tests pin their own so a
                // developer's .dev.vars can never change what the tests see.
                bindings: {
                  TEST_MIGRATIONS: migrations,
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
            name: "workers",
            // Background work (queue consumers, waitUntil) may still log while a test file is torn
            // down, and vitest 4 fails a fully green run with "Closing rpc while onUserConsoleLog was
            // pending" when that goes through its console RPC (vitest-dev/vitest#11153). The worker's
            // logger writes to a per-test buffer instead (test/setup/log-capture.ts), printed only for a
            // failed test; what is still printed (that, LOG_LEVEL=debug) goes straight to stdout.
            disableConsoleIntercept: true,
            include: ["test/**/*.test.ts"],
            exclude: [...configDefaults.exclude, "test/contract/**", "test/e2e/**", "test/browser/**"],
            setupFiles: [
              "./test/setup/flows.ts",
              "./test/setup/apply-migrations.ts",
              "./test/setup/log-capture.ts",
            ],
          },
        },
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
