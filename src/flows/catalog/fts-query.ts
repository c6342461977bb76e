/**
 * Turns whatever a user typed into a safe FTS5 MATCH expression.
 *
 * FTS5 gives meaning to quotes, `*`, `^`, `-`, `+`, parentheses, `column:` filters and the bare words
 * AND, OR, NOT and NEAR; passed through, any of them can make the MATCH a syntax error (a 500) or a
 * query the user never meant. Instead of escaping that grammar we keep only word tokens and quote each
 * one, which FTS5 always reads as a plain string: `"NEAR"` is the word near, never the operator.
 */

/** More tokens narrow an AND query to nothing and only cost index lookups. */
export const FTS_MAX_TOKENS = 10;
/** Longer "words" are noise (pasted hashes, base64); the prefix of one still finds it. */
export const FTS_MAX_TOKEN_LENGTH = 48;
/** Bounds the work per request; 10 tokens never need more text than this. */
export const FTS_MAX_INPUT_LENGTH = 1024;

// Letters or digits, then any combining marks (so "é" typed as e + U+0301 stays one token). Tokens
// cannot contain `"` by construction, so quoting them needs no escaping.
const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;
// `title:lamp` and `{title description}:lamp` are FTS5 column filters; the user meant "lamp", not the
// column names. Column names start with a letter, so times like 10:30 survive.
const COLUMN_FILTER = /(?:\{[^{}]*\}|[\p{L}_][\p{L}\p{N}_]*):(?=\S)/gu;

/**
 * The MATCH expression for `input`, or null when nothing searchable remains (blank, only punctuation,
 * only emoji); callers answer null with an empty result, never an error.
 *
 * Tokens are AND-joined; the last is a prefix query so results appear while the user is still typing.
 *
 * @example
 * toFtsQuery('brass NEAR( "desk lam') // => '"brass" AND "NEAR" AND "desk" AND "lam"*'
 * toFtsQuery('*** ^-') // => null
 */
export function toFtsQuery(input: string): string | null {
  const text = input.slice(0, FTS_MAX_INPUT_LENGTH).replace(COLUMN_FILTER, " ");
  const tokens: string[] = [];
  for (const [token] of text.matchAll(TOKEN)) {
    // Truncate by code point so a supplementary-plane letter is never split into a lone surrogate.
    tokens.push(Array.from(token).slice(0, FTS_MAX_TOKEN_LENGTH).join(""));
    if (tokens.length === FTS_MAX_TOKENS) break;
  }
  if (tokens.length === 0) return null;
  return tokens.map((t, i) => (i === tokens.length - 1 ? `"${t}"*` : `"${t}"`)).join(" AND ");
}
