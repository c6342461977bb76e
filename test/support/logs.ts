import { onTestFinished } from "vitest";
import { setLogSink } from "../../src/platform/observability/logger";

/**
 * The worker's log lines written from now until the current test ends, for a test that asserts them.
 * They still reach the sink test/setup/log-capture.ts installed, so a failure prints them as usual.
 *
 * @example
 * const lines = captureLogs();
 * await call("/v1/me");
 * expect(lines.map((l) => JSON.parse(l))).toContainEqual(expect.objectContaining({ msg: "request" }));
 */
export function captureLogs(): string[] {
  const lines: string[] = [];
  const previous = setLogSink((line, level) => {
    lines.push(line);
    previous(line, level);
  });
  onTestFinished(() => {
    setLogSink(previous);
  });
  return lines;
}
