/**
 * A CSV file as a download: the same headers for every CSV Crossdock serves (reports, settlement
 * statements, import error reports). Private to its owner, so never stored by a shared cache.
 *
 * @example
 * return csvAttachment(object.body, "sales-2026-01-01-2026-01-31.csv", { size: object.size, etag: object.httpEtag });
 */
export function csvAttachment(
  body: ReadableStream,
  filename: string,
  known: { size?: number; etag?: string } = {},
): Response {
  const headers: Record<string, string> = {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${filename}"`,
    "cache-control": "private, no-store",
  };
  if (known.size !== undefined) headers["content-length"] = String(known.size);
  if (known.etag !== undefined) headers.etag = known.etag;
  return new Response(body, { status: 200, headers });
}
