import type { EventEnvelope } from "../../platform/events/envelope";
import { causedByEvent, type EventSource, newEvent } from "../../platform/events/new-event";
import { importedEventId } from "./keys";
import type { CatalogImportRow } from "./schema";

/**
 * The `catalog.imported` envelope an import's finish writes, with its counts at 0: the finishing
 * statements set the real counts in SQL (see finishImportStatements). Its id is derived from the
 * import, so only one can ever be recorded.
 */
export function importedFact(
  cause: EventEnvelope & { correlationid: string; traceparent: string },
  row: Pick<CatalogImportRow, "id" | "merchantId" | "contentHash">,
  source: EventSource,
  now: number,
): EventEnvelope {
  const fact = newEvent(
    "catalog.imported",
    row.id,
    {
      importId: row.id,
      merchantId: row.merchantId,
      rows: 0,
      upserted: 0,
      rejected: 0,
      contentHash: row.contentHash,
    },
    causedByEvent(cause),
    source,
    now,
  );
  return { ...fact, id: importedEventId(row.id) };
}
