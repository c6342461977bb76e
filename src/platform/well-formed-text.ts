/**
 * A UTF-16 surrogate without its pair. JSON's "\ud800" escape decodes to one; it has no UTF-8 encoding,
 * so D1 would store U+FFFD instead and the text would silently change between write and read.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The message for a string that fails `isWellFormedText`, shared so every layer words it the same. */
export const MALFORMED_TEXT_MESSAGE = "must not contain NUL characters or unpaired UTF-16 surrogates";

/**
 * Whether a client's string may be stored and shown as is: no NUL (C-based tools, logs and CSV readers
 * stop or break at it) and no lone surrogate (see above).
 *
 * @example
 * isWellFormedText("Ada"); // true
 * isWellFormedText("\u0000"); // false
 */
export const isWellFormedText = (s: string): boolean => !s.includes("\u0000") && !LONE_SURROGATE.test(s);

/**
 * The dotted path of every string in a parsed JSON value (object keys included) that is not
 * well-formed text; `""` when the value itself is such a string. Meant for values already shaped by
 * a schema, so their depth is bounded.
 *
 * @example
 * malformedTextPaths({ name: "\u0000", tags: ["ok", "\ud800"] }); // ["name", "tags.1"]
 */
export function malformedTextPaths(value: unknown, path: readonly string[] = []): string[] {
  if (typeof value === "string") return isWellFormedText(value) ? [] : [path.join(".")];
  if (typeof value !== "object" || value === null) return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return entries.flatMap(([key, v]) => [
    ...(isWellFormedText(key) ? [] : [[...path, key].join(".")]),
    ...malformedTextPaths(v, [...path, key]),
  ]);
}
