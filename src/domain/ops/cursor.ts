/**
 * Opaque keyset cursors for the operations lists (dead letters, alerts, mailbox).
 *
 * A cursor carries the sort keys of the last row served, `[time, id]`, so the next page starts strictly
 * after it with an index seek instead of an OFFSET. It also carries a fingerprint of the list and its
 * filters: keys from one query applied to another would silently skip or repeat rows, so such a cursor
 * is refused. It is not signed; a client that edits one can only move its own starting point.
 */
import { BadRequestError } from "../../platform/errors";
import { fromBase64Url, toBase64Url } from "../encoding/base64url";
import { fnv1aHex } from "../encoding/fnv1a";

/** `[time in epoch ms, id]`; the id breaks ties so the order is total. */
export type KeysetKeys = readonly [number, string];

const VERSION = 1;
// Real cursors are ~100 characters; the cap keeps garbage from reaching base64 and JSON decoding.
const MAX_LENGTH = 512;

/**
 * Names a list and its filters; equal filters give equal fingerprints whatever their key order, and an
 * absent filter equals an undefined one.
 *
 * @example
 * const fingerprint = listFingerprint("dead-letters", { status: "dead", queue: undefined });
 */
export function listFingerprint(list: string, filters: Readonly<Record<string, string | undefined>>): string {
  const defined = Object.keys(filters)
    .filter((k) => filters[k] !== undefined)
    .sort()
    .map((k) => [k, filters[k]]);
  return fnv1aHex(JSON.stringify([list, defined]));
}

/** Encodes the keys of the last row served, for the list named by `fingerprint`. */
export function encodeCursor(keys: KeysetKeys, fingerprint: string): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify({ v: VERSION, k: keys, f: fingerprint })));
}

function invalid(detail: string): never {
  throw new BadRequestError(`${detail} Request the first page again without a cursor.`, "invalid-cursor");
}

/**
 * The keys of a cursor issued for the same list and filters.
 *
 * @throws BadRequestError (`invalid-cursor`, 400) when it is malformed, from another version, or was
 * issued for a different list or filters.
 * @example
 * const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, fingerprint);
 */
export function decodeCursor(cursor: string, fingerprint: string): KeysetKeys {
  if (cursor.length > MAX_LENGTH) invalid("The cursor is malformed.");
  let value: unknown;
  try {
    const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
    value = JSON.parse(utf8.decode(fromBase64Url(cursor)));
  } catch {
    invalid("The cursor is malformed.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    invalid("The cursor is malformed.");
  const { v, k, f, ...rest } = value as Record<string, unknown>;
  if (v !== VERSION || Object.keys(rest).length > 0 || typeof f !== "string") {
    invalid("The cursor is malformed.");
  }
  if (f !== fingerprint) invalid("The cursor belongs to a different list or filters.");
  if (
    !Array.isArray(k) ||
    k.length !== 2 ||
    !Number.isSafeInteger(k[0]) ||
    k[0] < 0 ||
    typeof k[1] !== "string" ||
    k[1].length === 0
  ) {
    invalid("The cursor is malformed.");
  }
  return [k[0] as number, k[1] as string];
}
