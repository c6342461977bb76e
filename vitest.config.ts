import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { configDefaults, defineConfig, type ViteUserConfig } from "vitest/config";

export default defineConfig(async (): Promise<ViteUserConfig> => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    test: {
      testTimeout: 30_000,
      // Console output of tests is shown only for failing ones (the workers project prints its
      // worker's JSON log lines directly: see disableConsoleIntercept below).
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
                  ADMIN_EMAIL: "admin@test.crossdock",
                  ADMIN_PASSWORD: "test-admin-password",
                  // Payment calls give up fast, so pm_card_timeout orders settle within a test; not so
                  // fast that a declined card's answer, slowed by a loaded machine, reads as a timeout.
                  PAYMENT_TIMEOUT_MS: "1000",
                },
              },
            }),
          ],
          test: {
            name: "workers",
            // The worker's JSON log lines go straight to stdout instead of through vitest's console RPC.
            // Background work (queue consumers, waitUntil) may still log while a test file is torn
            // down, and vitest 4 then fails a fully green run with "Closing rpc while onUserConsoleLog
            // was pending" (vitest-dev/vitest#11153). The cost: logs are not grouped per test.
            disableConsoleIntercept: true,
            include: ["test/**/*.test.ts"],
            exclude: [...configDefaults.exclude, "test/contract/**", "test/e2e/**"],
            setupFiles: ["./test/setup/apply-migrations.ts"],
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
      ],
    },
  };
});
