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

export function createLogger(base: LogFields = {}, sink: (line: string) => void = console.log): Logger {
  const write = (level: LogLevel, msg: string, fields: LogFields = {}) =>
    sink(JSON.stringify({ level, msg, time: Date.now(), ...base, ...redact(fields) }));
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
