import type { D1Migration } from "cloudflare:test";

// Test-only bindings added in vitest.config.ts.
declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      /** LOG_LEVEL of the vitest process: the worker's log lines at this level and above print live. */
      TEST_LOG_LEVEL: string;
    }
  }
}
