/**
 * Product search cursors.
 *
 * A cursor carries the sort keys of the last row served (`[price, seq]`, `[createdAt, seq]` or
 * `[score, seq]`), so the next page starts strictly after it with an index seek instead of an OFFSET
 * that rereads every skipped row. It also carries the sort and a fingerprint of the filters, because
 * keys from one query applied to another silently skip or repeat rows; such a cursor is refused.
 * The encoding is the shared opaque token (`src/platform/encoding/opaque-token.ts`).
 */
import { z } from "zod";
import {
  type CursorDecoding,
  cursorRefused,
  decodeOpaque,
  encodeOpaque,
} from "../../platform/encoding/opaque-token";
import { PRODUCT_SORTS, type ProductSort } from "./sorts";

/** `[sort key, seq]`; seq (the rowid) breaks ties so the order is total. */
export type CursorKeys = readonly [number, number];

export interface CursorState {
  sort: ProductSort;
  keys: CursorKeys;
  /** Identifies the filters the cursor was issued for, e.g. from `searchFingerprint`. */
  fingerprint: string;
}

// Real cursors are ~80 characters.
const MAX_LENGTH = 256;

/** The wire form; `v` is 1 in every cursor ever issued. Prices and times are non-negative integers. */
const Position = z
  .strictObject({
    v: z.literal(1),
    s: z.enum(PRODUCT_SORTS),
    k: z.tuple([z.number(), z.int().min(1)]),
    f: z.string(),
  })
  .refine(({ s, k: [key] }) => s === "relevance" || (Number.isSafeInteger(key) && key >= 0));

/** Encodes a cursor for the row after which the next page starts. */
export function encodeCursor({ sort, keys, fingerprint }: CursorState): string {
  return encodeOpaque({ v: 1, s: sort, k: keys, f: fingerprint });
}

/**
 * The keys of a cursor issued for the same sort and fingerprint, or why it is refused: malformed (or
 * edited), or issued for a different sort or filters.
 *
 * @example
 * const after = decodeCursor(query.cursor, { sort, fingerprint }); // { ok: true, position: [4999, 17] }
 */
export function decodeCursor(
  cursor: string,
  expected: Omit<CursorState, "keys">,
): CursorDecoding<CursorKeys> {
  const position = decodeOpaque(cursor, Position, MAX_LENGTH);
  if (position === null) return cursorRefused("malformed");
  if (position.s !== expected.sort || position.f !== expected.fingerprint) return cursorRefused("foreign");
  return { ok: true, position: position.k };
}
