/**
 * Structured JSON logs: one object per line, so Workers Logs and `wrangler tail` can filter on any field.
 * A logger carries the fields of its context (requestId, traceId, …) into every line it writes.
 *
 * @example
 * const log = createLogger({ requestId });
 * log.info("login.failed", { reason: "bad-password" });
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

/** Field names never written, whatever a caller passes: a log must not become a credential store. */
const REDACTED = new Set(["password", "token", "authorization", "apiKey", "key", "secret", "passwordHash"]);

function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields)) out[k] = REDACTED.has(k) ? "[redacted]" : v;
  return out;
}

/** Where log lines go: one JSON line and its level. */
export type LogSink = (line: string, level: LogLevel) => void;

const consoleSink: LogSink = (line) => console.log(line);
let defaultSink: LogSink = consoleSink;

/**
 * Replaces the sink of every logger created without one of its own (console.log by default), and
 * returns the previous one. Loggers look it up per line, so long-lived ones follow too. The tests use it
 * to keep each test's lines and print them only when it fails (test/setup/log-capture.ts).
 *
 * @example
 * const lines: string[] = [];
 * const previous = setLogSink((line) => lines.push(line));
 * // … later
 * setLogSink(previous);
 */
export function setLogSink(sink: LogSink | undefined): LogSink {
  const previous = defaultSink;
  defaultSink = sink ?? consoleSink;
  return previous;
}

export function createLogger(base: LogFields = {}, sink?: LogSink): Logger {
  const write = (level: LogLevel, msg: string, fields: LogFields = {}) =>
    (sink ?? defaultSink)(
      JSON.stringify({ level, msg, time: Date.now(), ...base, ...redact(fields) }),
      level,
    );
  return {
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
    child: (fields) => createLogger({ ...base, ...redact(fields) }, sink),
  };
}

/** Error details for a log line: name, message and stack, never the error's enumerable payload. */
export function errorFields(err: unknown): LogFields {
  if (err instanceof Error) return { errorName: err.name, errorMessage: err.message, stack: err.stack };
  return { errorMessage: String(err) };
}
