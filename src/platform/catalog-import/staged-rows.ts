import { rawChunkLine, stagedChunkLine } from "../../domain/catalog-import/chunk-format";
import { CsvParser, type CsvRecord } from "../../domain/catalog-import/csv-parser";
import type { ImportFormat } from "../../domain/catalog-import/formats";
import { LineSplitter, type NumberedLine } from "../../domain/catalog-import/line-splitter";
import {
  type CsvHeader,
  csvColumns,
  isBlankLine,
  stageCsvRecord,
  UnreadableImportError,
} from "../../domain/catalog-import/staged-row";

/**
 * The file's rows in order, read from a stream, each as the line a chunk holds it in
 * (chunk-format.ts), a batch per piece of the stream (one await per piece, not per row): blank lines
 * are not rows. NDJSON lines are copied as they are, with their line
 * number — the applier parses them — so planning costs no JSON work; CSV records are parsed here,
 * since a record may span lines; `onCsvHeader` hears the header once it is read. Throws
 * `UnreadableImportError` for a CSV without a header or with a header an import cannot use.
 */
export async function* stagedLines(
  body: ReadableStream<Uint8Array>,
  format: ImportFormat,
  onCsvHeader: (header: CsvHeader) => void = () => undefined,
): AsyncGenerator<string[]> {
  const text = body.pipeThrough(new TextDecoderStream());
  if (format === "ndjson") {
    const lines = new LineSplitter();
    const rows = (numbered: NumberedLine[]) =>
      numbered.filter((l) => !isBlankLine(l.text)).map((l) => rawChunkLine(l.line, l.text));
    for await (const piece of text) yield rows(lines.push(piece));
    yield rows(lines.end());
    return;
  }
  const parser = new CsvParser();
  let header: CsvHeader | null = null;
  const rows = (records: CsvRecord[]) => {
    const out: string[] = [];
    for (const record of records) {
      if (header === null) {
        header = csvColumns(record);
        onCsvHeader(header);
      } else out.push(stagedChunkLine(stageCsvRecord(header, record)));
    }
    return out;
  };
  for await (const piece of text) yield rows(parser.push(piece));
  yield rows(parser.end());
  if (header === null) {
    throw new UnreadableImportError(
      "invalid-csv-header",
      "The file is empty: a CSV import needs a header line.",
    );
  }
}
