import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
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
          },
        },
      }),
    ],
    test: {
      include: ["test/**/*.test.ts"],
      setupFiles: ["./test/setup/apply-migrations.ts"],
      testTimeout: 30_000,
      // Request logs are JSON lines on stdout; show them only for failing tests.
      silent: "passed-only" as const,
    },
  };
});
