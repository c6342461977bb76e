import { stagedChunkLine } from "../../domain/catalog-import/chunk-format";
import { CsvParser, type CsvRecord } from "../../domain/catalog-import/csv-parser";
import {
  type CsvHeader,
  csvColumns,
  stageCsvRecord,
  UnreadableImportError,
} from "../../domain/catalog-import/staged-row";

/**
 * A CSV file's rows in order, read from a stream, each as the line a chunk object holds it in
 * (chunk-format.ts), a batch per piece of the stream (one await per piece, not per row). Records are
 * parsed here, since one may span lines (an NDJSON file is not copied at all: its chunks are byte
 * ranges of the upload, line-ranges.ts); `onCsvHeader` hears the header once it is read. Throws
 * `UnreadableImportError` for a CSV without a header or with a header an import cannot use.
 */
export async function* stagedCsvLines(
  body: ReadableStream<Uint8Array>,
  onCsvHeader: (header: CsvHeader) => void = () => undefined,
): AsyncGenerator<string[]> {
  const text = body.pipeThrough(new TextDecoderStream());
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
