import { env } from "cloudflare:workers";
import { beforeEach } from "vitest";
import { type LogLevel, setLogSink } from "../../src/platform/observability/logger";

// The worker's JSON log lines never reach the console in a green run: each test keeps the lines written
// while it runs and prints them only if it fails. Nothing goes through console.log meanwhile, so
// background work that logs while a file is torn down cannot trip vitest's console RPC
// (vitest-dev/vitest#11153, see vitest.config.ts). `LOG_LEVEL=debug npm test -- <file>` (or info, warn,
// error) prints the lines at that level and above as they are written instead.
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
const live = env.TEST_LOG_LEVEL in ORDER ? ORDER[env.TEST_LOG_LEVEL as LogLevel] : undefined;

if (live !== undefined) {
  setLogSink((line, level) => {
    if (ORDER[level] >= live) console.log(line);
  });
} else {
  // Installed before any hook runs: lines written outside a test (beforeAll, a consumer of the previous
  // file still draining) are dropped with the next test's fresh buffer, never printed.
  let lines: string[] = [];
  setLogSink((line) => lines.push(line));
  beforeEach(({ task, onTestFailed }) => {
    const mine: string[] = [];
    lines = mine;
    onTestFailed(() => {
      if (mine.length === 0) return;
      console.log(`\n── worker log of "${task.fullName}" (${mine.length} lines) ──\n${mine.join("\n")}\n`);
    });
  });
}
