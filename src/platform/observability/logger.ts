import { count } from "../costs/meter";

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

/** `fields` itself when nothing in it is redacted (every request's line: no copy), else a redacted copy. */
function redact(fields: LogFields): LogFields {
  let out: LogFields | undefined;
  for (const k of Object.keys(fields)) {
    if (!REDACTED.has(k)) continue;
    out ??= { ...fields };
    out[k] = "[redacted]";
  }
  return out ?? fields;
}

const NON_ASCII = /[\u0080-\uffff]/;
const encoder = new TextEncoder();

/** A line's size in UTF-8: its length when it is all ASCII (JSON of ids and codes nearly always is). */
const utf8Bytes = (line: string): number =>
  NON_ASCII.test(line) ? encoder.encode(line).length : line.length;

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

/**
 * A logger is made per request (with its requestId and traceId), so it is a class: its methods live on
 * the prototype, where a closure per method per request cost allocations on the hot path.
 */
class JsonLogger implements Logger {
  readonly #base: LogFields;
  readonly #sink: LogSink | undefined;

  constructor(base: LogFields, sink: LogSink | undefined) {
    this.#base = base;
    this.#sink = sink;
  }

  #write(level: LogLevel, msg: string, fields: LogFields | undefined): void {
    // One object, one JSON.stringify: the line is built once, with the fields after the context's.
    const line = JSON.stringify({
      level,
      msg,
      time: Date.now(),
      ...this.#base,
      ...(fields && redact(fields)),
    });
    // Workers Logs bills by the GB ingested, so every line is counted for the flow that wrote it.
    count("logLines", 1);
    count("logBytes", utf8Bytes(line));
    (this.#sink ?? defaultSink)(line, level);
  }

  debug(msg: string, fields?: LogFields): void {
    this.#write("debug", msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.#write("info", msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.#write("warn", msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.#write("error", msg, fields);
  }
  child(fields: LogFields): Logger {
    return new JsonLogger({ ...this.#base, ...redact(fields) }, this.#sink);
  }
}

export function createLogger(base: LogFields = {}, sink?: LogSink): Logger {
  return new JsonLogger(base, sink);
}

/** Error details for a log line: name, message and stack, never the error's enumerable payload. */
export function errorFields(err: unknown): LogFields {
  if (err instanceof Error) return { errorName: err.name, errorMessage: err.message, stack: err.stack };
  return { errorMessage: String(err) };
}
