import { CsvError, type Options, parse } from "csv-parse/stream";

/**
 * One CSV record and the physical line it starts on (a quoted field may span several lines). `error`:
 * why the record could not be read whole (its fields are then empty).
 */
export interface CsvRecord {
  line: number;
  fields: string[];
  error?: string;
}

/** A line break as an editor counts lines: CRLF, LF or a lone CR. */
const LINE_BREAK = /\r\n|\r|\n/g;
const lineBreaksIn = (fields: string[]) =>
  fields.reduce((n, field) => n + (field.match(LINE_BREAK)?.length ?? 0), 0);

/**
 * A CSV file's records from its bytes, read as the file streams in by csv-parse's web-streams parser
 * (`csv-parse/stream`, a TransformStream): RFC 4180 (comma-separated, fields optionally in double quotes,
 * `""` for a quote inside quotes, line breaks inside quotes kept as data), a UTF-8 BOM dropped, LF, CRLF
 * and CR line endings in any mix, blank lines skipped (a line of spaces is a record). Lenient where
 * RFC 4180 is silent: a quote inside an unquoted field, or text after a closing quote, is data, and a
 * record may have any number of fields (stageCsvRecord reports a ragged one). A quote never closed takes
 * the rest of the file: that last record comes with an `error`.
 *
 * Each record's `line` is its first physical line: the line after the previous record's last, plus the
 * blank lines csv-parse skipped between them. A record spans one line more per line break inside its
 * fields (line breaks outside quotes end records). csv-parse's own `info.lines` would not do: it is the
 * line a record ends on, and it counts a CRLF inside quotes as two lines.
 *
 * @example
 * for await (const { line, fields } of readCsvRecords(object.body)) …
 */
export async function* readCsvRecords(bytes: ReadableStream<Uint8Array>): AsyncGenerator<CsvRecord> {
  let lastLine = 0;
  let skippedBlankLines = 0;
  const firstLine = (blankLinesSoFar: number) => {
    const line = lastLine + 1 + blankLinesSoFar - skippedBlankLines;
    skippedBlankLines = blankLinesSoFar;
    return line;
  };
  const options: Options<CsvRecord, string[]> = {
    bom: true,
    // Otherwise csv-parse keeps to the first line ending it meets.
    record_delimiter: ["\r\n", "\n", "\r"],
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    on_record: (fields, info) => {
      const line = firstLine(info.empty_lines);
      lastLine = line + lineBreaksIn(fields);
      return { line, fields };
    },
  };
  // `csv-parse/stream` types `parse` for plain string[] records; on_record makes them CsvRecords.
  const records: ReadableStream<CsvRecord> = bytes.pipeThrough(parse(options as unknown as Options));
  try {
    yield* records;
  } catch (err) {
    // The one error these options leave: the file ends inside quotes.
    if (!(err instanceof CsvError) || err.code !== "CSV_QUOTE_NOT_CLOSED") throw err;
    yield {
      line: firstLine(Number(err.empty_lines)),
      fields: [],
      error: "has a quote that is never closed: the rest of the file would be one field",
    };
  }
}
