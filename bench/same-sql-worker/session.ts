/**
 * crossdock reads and writes search and quotes through a D1 session (read replication, issue 16) and
 * answers with its bookmark in `x-d1-bookmark`. The header is part of the answer a client gets, so the
 * baseline opens the same session and sends the same header: what remains between the two is the
 * framework, which is what this baseline measures.
 */
export const BOOKMARK_HEADER = "x-d1-bookmark";

/** A D1 session from the bookmark the client sent, else from `start`, as crossdock's `d1Session` opens it. */
export const openSession = (
  request: Request,
  db: D1Database,
  start: D1SessionConstraint,
): D1DatabaseSession => db.withSession(request.headers.get(BOOKMARK_HEADER)?.trim() || start);

/** A JSON answer carrying the session's latest bookmark, as crossdock's answers do. */
export function jsonWithBookmark(body: unknown, session: D1DatabaseSession): Response {
  const bookmark = session.getBookmark();
  return Response.json(body, bookmark ? { headers: { [BOOKMARK_HEADER]: bookmark } } : undefined);
}
