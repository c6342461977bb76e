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
  beforeEach(({ task, onTestFailed }) => {
    const lines: string[] = [];
    setLogSink((line) => lines.push(line));
    onTestFailed(() => {
      if (lines.length === 0) return;
      console.log(`\n── worker log of "${task.fullName}" (${lines.length} lines) ──\n${lines.join("\n")}\n`);
    });
  });
}
