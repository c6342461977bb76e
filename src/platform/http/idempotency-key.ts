import { sha256Hex } from "../encoding/sha256";

/**
 * The pure half of Idempotency-Key (draft-ietf-httpapi-idempotency-key-header): reading the header,
 * fingerprinting a request, and the stored form of a response. The middleware is in idempotency.ts.
 */

/** Longest accepted key, counted after any sf-string quoting is removed. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

export type ParsedIdempotencyKey = { ok: true; key: string } | { ok: false; reason: string };

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/**
 * The key in an `Idempotency-Key` header value. The draft makes the value an RFC 8941 sf-string
 * (`"8e03978e-…"`); most clients send the bare value (`8e03978e-…`), so both are accepted and name the
 * same key. Either way the key is 1–255 printable ASCII characters.
 *
 * @example
 * parseIdempotencyKey('"abc"') // { ok: true, key: "abc" }
 */
export function parseIdempotencyKey(raw: string): ParsedIdempotencyKey {
  let key = raw;
  if (raw.startsWith('"')) {
    const unquoted = parseSfString(raw);
    if (unquoted === null) return { ok: false, reason: "is not a valid quoted string" };
    key = unquoted;
  }
  if (key.length === 0) return { ok: false, reason: "must not be empty" };
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    return { ok: false, reason: `must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters` };
  }
  if (!PRINTABLE_ASCII.test(key)) return { ok: false, reason: "must be printable ASCII" };
  return { ok: true, key };
}

/** RFC 8941 §4.2.5: a quoted string with `\"` and `\\` as its only escapes; null when malformed. */
function parseSfString(raw: string): string | null {
  let out = "";
  for (let i = 1; i < raw.length; i++) {
    const ch = raw[i] as string;
    if (ch === "\\") {
      const next = raw[++i];
      if (next !== '"' && next !== "\\") return null;
      out += next;
    } else if (ch === '"') {
      return i === raw.length - 1 ? out : null;
    } else {
      out += ch;
    }
  }
  return null;
}

/**
 * What "the same request" means under one key: SHA-256 over method, path with query, and the body
 * text exactly as the handler will parse it. A re-serialised body (other key order, whitespace) is a
 * different request.
 */
export function requestFingerprint(method: string, target: string, body: string): Promise<string> {
  return sha256Hex(`${method.toUpperCase()} ${target}\n${body}`);
}

/** The answer kept for replay: status, the headers worth repeating, and the body as text. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const STORED_HEADERS = ["content-type", "location"] as const;

export const REPLAYED_HEADER = "Idempotent-Replayed";

/**
 * Whether a response is the operation's answer, to be replayed for the key's lifetime. 5xx are our
 * failure and 408/429 say "try again", so those free the key for a retry; every other status — client
 * errors included, as the draft asks ("the result of the previously completed operation, success or
 * an error") — is final.
 */
export function isFinalStatus(status: number): boolean {
  return status < 500 && status !== 408 && status !== 429;
}

/** Reads a response into its stored form without consuming it: the client still gets the body. */
export async function storeResponse(res: Response): Promise<StoredResponse> {
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = res.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  return { status: res.status, headers, body: await res.clone().text() };
}

/** The stored response again, marked `Idempotent-Replayed: true`. */
export function replayResponse(stored: StoredResponse): Response {
  // Statuses such as 204 must have a null body, not an empty one.
  return new Response(stored.body === "" ? null : stored.body, {
    status: stored.status,
    headers: { ...stored.headers, [REPLAYED_HEADER]: "true" },
  });
}
