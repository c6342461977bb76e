import { CsvParser } from "../../domain/catalog-import/csv-parser";
import type { ImportFormat } from "../../domain/catalog-import/formats";
import { LineSplitter } from "../../domain/catalog-import/line-splitter";
import {
  csvColumns,
  type StagedRow,
  stageCsvRecord,
  stageNdjsonLine,
  UnreadableImportError,
} from "../../domain/catalog-import/staged-row";

/**
 * The file's rows in order, read from a stream: blank lines are not rows. Throws
 * `UnreadableImportError` for a CSV without a header.
 */
export async function* stagedRows(
  body: ReadableStream<Uint8Array>,
  format: ImportFormat,
): AsyncGenerator<StagedRow> {
  const text = body.pipeThrough(new TextDecoderStream());
  if (format === "ndjson") {
    const lines = new LineSplitter();
    for await (const piece of text) {
      for (const l of lines.push(piece)) {
        const staged = stageNdjsonLine(l);
        if (staged) yield staged;
      }
    }
    for (const l of lines.end()) {
      const staged = stageNdjsonLine(l);
      if (staged) yield staged;
    }
    return;
  }
  const parser = new CsvParser();
  let columns: string[] | null = null;
  const rows = function* (records: ReturnType<CsvParser["push"]>) {
    for (const record of records) {
      if (columns === null) columns = csvColumns(record);
      else yield stageCsvRecord(columns, record);
    }
  };
  for await (const piece of text) yield* rows(parser.push(piece));
  yield* rows(parser.end());
  if (columns === null) {
    throw new UnreadableImportError(
      "invalid-csv-header",
      "The file is empty: a CSV import needs a header line.",
    );
  }
}
