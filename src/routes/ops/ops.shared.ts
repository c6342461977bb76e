import { z } from "@hono/zod-openapi";
import type { SQL } from "drizzle-orm";
import {
  afterKeys,
  decodeCursor,
  encodeCursor,
  type KeysetKeys,
  type KeysetOrder,
} from "../../flows/ops/cursor";
import { ConflictError, InvalidCursorError } from "../../platform/errors";
import { faultsEnabled } from "../../platform/faults/client";
import { authenticate } from "../accounts/authenticate";

/** Every /ops route: admin sessions only (API keys never, whatever their scopes). */
export const adminOnly = authenticate({ roles: ["admin"] });

export const TAGS = ["Operations"];

export const MAX_PAGE = 100;

/** `limit` and `cursor`, shared by every ops list; spread into a strict query object. */
export const pageQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE)
    .default(50)
    .openapi({ param: { name: "limit", in: "query" }, description: "Items per page, 1–100 (default 50)." }),
  cursor: z
    .string()
    .min(1)
    .max(512)
    .optional()
    .openapi({
      param: { name: "cursor", in: "query" },
      description: "The previous page's `nextCursor`, with the same filters.",
    }),
};

/**
 * The one path parameter of an ops route that reads a single thing (an id of ours or a client's
 * request id: any text up to 128 characters).
 *
 * @example
 * request: { params: pathParam("id", "dlq_01jxyz…") }
 */
export function pathParam<const N extends string>(name: N, example: string) {
  const schema = z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name, in: "path" }, example });
  return z.object({ [name]: schema } as { [K in N]: typeof schema });
}

/** `{ items, nextCursor }`: the shape of every ops list. */
export const pageOf = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({
      items: z.array(item),
      nextCursor: z
        .string()
        .nullable()
        .openapi({ description: "Pass as `cursor` for the next page; null on the last page." }),
    })
    .openapi(name);

export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

export interface Keyset extends KeysetOrder {
  /** From `listFingerprint`: the list and its filters, so a cursor cannot cross to another query. */
  fingerprint: string;
}

/**
 * The keys of the row a cursor points after; undefined without a cursor.
 *
 * @throws InvalidCursorError (400 `invalid-cursor`) when the cursor is malformed or from another query.
 */
export function cursorKeys(cursor: string | undefined, fingerprint: string): KeysetKeys | undefined {
  if (cursor === undefined) return undefined;
  const after = decodeCursor(cursor, fingerprint);
  if (!after.ok) throw new InvalidCursorError(after.refusal);
  return after.position;
}

/**
 * The condition "strictly after the cursor's row" in the keyset's order; undefined without a cursor.
 *
 * @throws InvalidCursorError (400 `invalid-cursor`) when the cursor is malformed or from another query.
 */
export function afterCursor(keyset: Keyset, cursor: string | undefined): SQL | undefined {
  const keys = cursorKeys(cursor, keyset.fingerprint);
  return keys === undefined ? undefined : afterKeys(keyset, keys);
}

/**
 * Cuts the `limit + 1` rows a list fetched down to one page, with a cursor after its last row when
 * there are more.
 *
 * @example
 * const rows = await db.select().from(t).where(...).orderBy(...).limit(limit + 1);
 * const { items, nextCursor } = toPage(rows, limit, (r) => [r.createdAt, r.id], fingerprint);
 */
export function toPage<R>(
  rows: readonly R[],
  limit: number,
  keysOf: (row: R) => KeysetKeys,
  fingerprint: string,
): { items: R[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keysOf(last), fingerprint) : null,
  };
}

/**
 * Game-day faults and synthetic backlogs change how the system behaves, so they exist only where
 * FAULTS_ENABLED is "true" (never production's config): elsewhere a 409 `faults-disabled`.
 */
export function requireFaultsEnabled(env: Pick<Env, "FAULTS_ENABLED">, what: string): void {
  if (faultsEnabled(env)) return;
  throw new ConflictError(
    `Fault injection is off here, so nothing can ${what}: set the FAULTS_ENABLED var to "true" (wrangler.toml [vars], .dev.vars or \`wrangler dev --var FAULTS_ENABLED:true\`). Listing and clearing faults still work.`,
    "faults-disabled",
  );
}
