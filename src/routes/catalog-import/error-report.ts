import { and, asc, eq, gt } from "drizzle-orm";
import { catalogImportErrors } from "../../flows/catalog-import/schema";
import type { Db } from "../../platform/db/client";

/** Rows read from D1 per page of the report. */
export const ERROR_PAGE_ROWS = 1_000;

const encoder = new TextEncoder();

/** A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
export const csvField = (value: string): string =>
  /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;

/**
 * An import's error report as a CSV stream: the header, then the rejected rows in line order, read page
 * by page (keyset on the line) as the client reads, so a report of any size is never in memory whole.
 */
export function errorReportStream(db: Db, importId: string): ReadableStream<Uint8Array> {
  let after = 0;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode("line,reason\n"));
        return;
      }
      const page = await db
        .select({ line: catalogImportErrors.line, reason: catalogImportErrors.reason })
        .from(catalogImportErrors)
        .where(and(eq(catalogImportErrors.importId, importId), gt(catalogImportErrors.line, after)))
        .orderBy(asc(catalogImportErrors.line))
        .limit(ERROR_PAGE_ROWS);
      if (page.length > 0) {
        controller.enqueue(encoder.encode(page.map((r) => `${r.line},${csvField(r.reason)}\n`).join("")));
        after = page.at(-1)!.line;
      }
      if (page.length < ERROR_PAGE_ROWS) controller.close();
    },
  });
}
