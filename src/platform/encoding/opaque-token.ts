/**
 * Opaque tokens: a JSON value as base64url, the one codec behind every cursor and token a client hands
 * back unchanged (list cursors, consistency tokens). Each user keeps only its own position type and
 * schema. Not signed: whoever decodes one must check that what it names is the caller's, and a client
 * that edits a cursor can only move its own starting point.
 */
import type { z } from "zod";
import { fromBase64Url, toBase64Url } from "./base64url";

// Real tokens are well under this; the cap keeps garbage from reaching base64 and JSON decoding.
const MAX_LENGTH = 512;
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * @example
 * encodeOpaque({ orderId: "ord_1", version: 3 }); // "eyJvcmRlcklkIjoib3JkXzEiLCJ2ZXJzaW9uIjozfQ"
 */
export function encodeOpaque(value: unknown): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify(value)));
}

/**
 * The value `encodeOpaque` wrote, if `token` is one (at most `maxLength` characters) and matches
 * `schema`; otherwise null.
 *
 * @example
 * const keys = decodeOpaque(cursor, z.tuple([z.int(), z.string()])); // null when malformed
 */
export function decodeOpaque<T>(token: string, schema: z.ZodType<T>, maxLength = MAX_LENGTH): T | null {
  if (token.length === 0 || token.length > maxLength) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(utf8.decode(fromBase64Url(token))));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Why a cursor was refused: not one we issued intact, or issued for another query (sort, filters). */
export type CursorRefusal = "malformed" | "foreign";

/** What decoding a list's cursor gave: the position to resume after, or why there is none. */
export type CursorDecoding<P> = { ok: true; position: P } | { ok: false; refusal: CursorRefusal };

export const cursorRefused = (refusal: CursorRefusal): CursorDecoding<never> => ({ ok: false, refusal });
