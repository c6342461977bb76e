/**
 * Keyset cursors for the operations lists (dead letters, deliveries, alerts, mailbox) and the other
 * lists that page by `[time, id]` (merchant orders, settlements).
 *
 * A cursor carries the sort keys of the last row served, `[time, id]`, so the next page starts strictly
 * after it with an index seek instead of an OFFSET. It also carries a fingerprint of the list and its
 * filters: keys from one query applied to another would silently skip or repeat rows, so such a cursor
 * is refused. The encoding is the shared opaque token (`src/platform/encoding/opaque-token.ts`).
 */
import { and, eq, gt, lt, or, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { z } from "zod";
import { fnv1aHex } from "../../platform/encoding/fnv1a";
import {
  type CursorDecoding,
  cursorRefused,
  decodeOpaque,
  encodeOpaque,
} from "../../platform/encoding/opaque-token";

/** `[time in epoch ms, id]`; the id breaks ties so the order is total. */
export type KeysetKeys = readonly [number, string];

/** The wire form; `v` is 1 in every cursor ever issued. */
const Position = z.strictObject({
  v: z.literal(1),
  k: z.tuple([z.int().min(0), z.string().min(1)]),
  f: z.string(),
});

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
  return encodeOpaque({ v: 1, k: keys, f: fingerprint });
}

/**
 * The keys of a cursor issued for the same list and filters, or why it is refused: malformed (or
 * edited), or issued for a different list or filters.
 *
 * @example
 * const after = decodeCursor(query.cursor, fingerprint); // { ok: true, position: [1767225600000, "dlq_1"] }
 */
export function decodeCursor(cursor: string, fingerprint: string): CursorDecoding<KeysetKeys> {
  const position = decodeOpaque(cursor, Position);
  if (position === null) return cursorRefused("malformed");
  if (position.f !== fingerprint) return cursorRefused("foreign");
  return { ok: true, position: position.k };
}

/** The order a keyset list walks: by `time`, ties broken by `id`. */
export interface KeysetOrder {
  /**
   * Absent when the ids sort by time themselves (`newId`'s are time-ordered): the list is then in the
   * primary key's order alone and pages with a seek on it, without an index of its own. The cursor
   * still carries `[time, id]`; only the id is compared.
   */
  time?: SQLiteColumn;
  id: SQLiteColumn;
  direction: "asc" | "desc";
}

/** The condition "strictly after the row with these keys" in `order`. */
export function afterKeys(order: KeysetOrder, [time, id]: KeysetKeys): SQL | undefined {
  const past = order.direction === "desc" ? lt : gt;
  if (order.time === undefined) return past(order.id, id);
  return or(past(order.time, time), and(eq(order.time, time), past(order.id, id)));
}
