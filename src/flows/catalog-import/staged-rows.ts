import { stagedChunkLine } from "./chunk-format";
import { readCsvRecords } from "./csv-records";
import { type CsvHeader, csvColumns, stageCsvRecord, UnreadableImportError } from "./staged-row";

/**
 * A CSV file's rows in order, read from a stream, each as the line a chunk object holds it in
 * (chunk-format.ts). Records are parsed here, since one may span lines (an NDJSON file is not copied at
 * all: its chunks are byte ranges of the upload, line-ranges.ts); `onCsvHeader` hears the header once it
 * is read. Throws `UnreadableImportError` for a CSV without a header or with a header an import cannot
 * use.
 */
export async function* stagedCsvLines(
  body: ReadableStream<Uint8Array>,
  onCsvHeader: (header: CsvHeader) => void = () => undefined,
): AsyncGenerator<string> {
  let header: CsvHeader | null = null;
  for await (const record of readCsvRecords(body)) {
    if (header === null) {
      header = csvColumns(record);
      onCsvHeader(header);
    } else yield stagedChunkLine(stageCsvRecord(header, record));
  }
  if (header === null) {
    throw new UnreadableImportError(
      "invalid-csv-header",
      "The file is empty: a CSV import needs a header line.",
    );
  }
}
