import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { BadRequestError } from "../errors";
import type { AppEnv } from "../http/app-env";
import { type Db, getDb, openSession } from "./client";

/**
 * D1 read replication (issue 16). A route that reads through a D1 session may be served by a replica;
 * the session's bookmark, handed to the client in `x-d1-bookmark` (Cloudflare's convention) and sent
 * back on its next request, makes that request's session start no earlier than what the client has
 * already seen, so a buyer reads their own writes. Locally, and with replication off, every session is
 * the one primary database: same code path, bookmarks still advance.
 */
export const D1_BOOKMARK_HEADER = "x-d1-bookmark";

/**
 * What a bookmark looks like: hyphen-separated hex groups (local D1: `00000000-0000000a-00000000-` and
 * 32 hex digits). Checked loosely on purpose (any such groups, at most 128 characters), so a change in
 * D1's own format is not refused, while anything else, a constraint name included, never reaches it.
 */
const BOOKMARK = /^[0-9a-f]{1,64}(?:-[0-9a-f]{1,64}){0,7}$/i;
export const isBookmark = (value: string): boolean => value.length <= 128 && BOOKMARK.test(value);

/** Bookmarks order lexically; the later one is the stronger starting point. */
export const laterBookmark = (a: string | null | undefined, b: string | null | undefined): string | null =>
  (a ?? "") > (b ?? "") ? (a ?? null) : (b ?? null);

const HEADER_DESCRIPTION =
  "The D1 bookmark from the `x-d1-bookmark` of an earlier answer: this request then reads data at " +
  "least as recent as that answer's. Omit it when you have none. A malformed one is 400 `invalid-d1-bookmark`.";

/** The `x-d1-bookmark` request header, for the `request.headers` of a route that reads through a session. */
export const d1BookmarkHeaders = z.object({
  [D1_BOOKMARK_HEADER]: z.string().optional().openapi({
    description: HEADER_DESCRIPTION,
    example: "00000000-0000000a-00000000-0f1e2d3c4b5a69788796a5b4c3d2e1f0",
  }),
});

/** The `x-d1-bookmark` response header, for the success responses of such a route. */
export const d1BookmarkResponseHeader = {
  [D1_BOOKMARK_HEADER]: {
    description:
      "The latest D1 bookmark of the reads and writes this answer made. Send it back as `x-d1-bookmark` " +
      "on your next request to read at least this recent data.",
    schema: { type: "string" as const },
  },
};

/** A request's D1 session, opened on first use (see `sessionD1`). */
export interface RequestD1 {
  start: D1SessionConstraint;
  /** The bookmark the client sent, validated. */
  sent: string | null;
  session: D1DatabaseSession | null;
}

/**
 * Gives the route a D1 session and answers with its bookmark. `first-unconstrained` for reads (any
 * replica, then consistent); `first-primary` for writes whose bookmark the client needs (their first
 * query goes to the primary). A bookmark the client sent wins over either.
 *
 * A malformed `x-d1-bookmark` is a 400 (`invalid-d1-bookmark`) rather than ignored: ignoring it would
 * silently drop the read-your-writes the client asked for, and the consistency token refuses a
 * malformed token the same way.
 *
 * @example
 * middleware: [authenticate(), d1Session("first-unconstrained")] as const
 */
export const d1Session = (start: D1SessionConstraint) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const sent = c.req.header(D1_BOOKMARK_HEADER)?.trim() || null;
    if (sent !== null && !isBookmark(sent)) {
      throw new BadRequestError(
        `The ${D1_BOOKMARK_HEADER} header is malformed; send back the value an earlier answer carried, unchanged.`,
        "invalid-d1-bookmark",
      );
    }
    const d1: RequestD1 = { start, sent, session: null };
    c.set("d1", d1);
    await next();
    const bookmark = d1.session?.getBookmark();
    if (bookmark) c.res.headers.set(D1_BOOKMARK_HEADER, bookmark);
  });

/**
 * The request's D1 session, opened the first time it is asked for: from `bookmark` (e.g. the one a
 * consistency token carries) or the client's, whichever is later, else from the route's constraint.
 *
 * @throws Error when the route has no `d1Session` middleware (a wiring mistake, not the client's).
 */
export function sessionD1(c: Context<AppEnv>, bookmark?: string | null): D1DatabaseSession {
  const d1 = c.get("d1");
  if (!d1) throw new Error("sessionD1: add d1Session(...) to the route's middleware");
  if (!d1.session) d1.session = openSession(c.env.DB, laterBookmark(d1.sent, bookmark) ?? d1.start);
  return d1.session;
}

/** The latest bookmark of the request's session, for an answer's body (a consistency token). */
export const sessionBookmark = (c: Context<AppEnv>): string | undefined =>
  c.get("d1")?.session?.getBookmark() ?? undefined;

/**
 * `sessionD1` as drizzle: what a handler reads and writes through.
 *
 * @example
 * const row = await sessionDb(c).select().from(products).where(eq(products.id, id)).get();
 */
export const sessionDb = (c: Context<AppEnv>, bookmark?: string | null): Db => getDb(sessionD1(c, bookmark));
