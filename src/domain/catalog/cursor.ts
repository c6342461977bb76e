/**
 * Opaque keyset-pagination cursors.
 *
 * A cursor carries the sort keys of the last row served (`[price, seq]`, `[createdAt, seq]` or
 * `[score, seq]`), so the next page starts strictly after it with an index seek instead of an OFFSET
 * that rereads every skipped row. It also carries the sort and a fingerprint of the filters, because
 * keys from one query applied to another silently skip or repeat rows; such a cursor is refused.
 *
 * It is not signed: a client that edits one can only move its own starting point.
 */
import { BadRequestError } from "../../platform/errors";
import { fromBase64Url, toBase64Url } from "../encoding/base64url";
import { PRODUCT_SORTS, type ProductSort } from "./sorts";

/** `[sort key, seq]`; seq (the rowid) breaks ties so the order is total. */
export type CursorKeys = readonly [number, number];

export interface CursorState {
  sort: ProductSort;
  keys: CursorKeys;
  /** Identifies the filters the cursor was issued for, e.g. from `searchFingerprint`. */
  fingerprint: string;
}

const VERSION = 1;
// Real cursors are ~80 characters; the cap keeps garbage from reaching base64 and JSON decoding.
const MAX_LENGTH = 256;

/** Encodes a cursor as base64url JSON. */
export function encodeCursor({ sort, keys, fingerprint }: CursorState): string {
  const json = JSON.stringify({ v: VERSION, s: sort, k: keys, f: fingerprint });
  return toBase64Url(new TextEncoder().encode(json));
}

function invalid(detail: string): never {
  throw new BadRequestError(`${detail} Request the first page again without a cursor.`, "invalid-cursor");
}

function parse(cursor: string): unknown {
  if (cursor.length > MAX_LENGTH) invalid("The cursor is malformed.");
  try {
    return JSON.parse(new TextDecoder().decode(fromBase64Url(cursor)));
  } catch {
    return invalid("The cursor is malformed.");
  }
}

const isSeq = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 1;

/** Whether `key` can be the first sort key of `sort`: prices and times are non-negative integers. */
function isSortKey(sort: ProductSort, key: unknown): key is number {
  if (sort === "relevance") return typeof key === "number" && Number.isFinite(key);
  return Number.isSafeInteger(key) && (key as number) >= 0;
}

/**
 * The keys of a cursor issued for the same sort and fingerprint.
 *
 * @throws BadRequestError (`invalid-cursor`) when it is malformed, from another version, or was issued
 * for a different sort or filters.
 * @example
 * const after = query.cursor ? decodeCursor(query.cursor, { sort, fingerprint }) : undefined;
 */
export function decodeCursor(cursor: string, expected: Omit<CursorState, "keys">): CursorKeys {
  const value = parse(cursor);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    invalid("The cursor is malformed.");
  }
  const { v, s, k, f, ...rest } = value as Record<string, unknown>;
  if (v !== VERSION || Object.keys(rest).length > 0) invalid("The cursor is malformed.");
  if (!(PRODUCT_SORTS as readonly unknown[]).includes(s) || typeof f !== "string") {
    invalid("The cursor is malformed.");
  }
  if (s !== expected.sort || f !== expected.fingerprint) {
    invalid("The cursor belongs to a different query (sort or filters changed).");
  }
  if (!Array.isArray(k) || k.length !== 2 || !isSortKey(s as ProductSort, k[0]) || !isSeq(k[1])) {
    invalid("The cursor is malformed.");
  }
  return [k[0], k[1]];
}
