import type { StagedRow } from "./staged-row";

/**
 * How a chunk object holds its rows: one staged row per line, as JSON — `{"line":…,"fields":{…}}` or
 * `{"line":…,"error":"…"}`. Only CSV imports write chunk objects (an NDJSON chunk is a byte range of
 * the uploaded file); a record's fields may span lines of the CSV, but JSON escapes line breaks, so a
 * row is always one chunk line.
 *
 * @example
 * stagedChunkLine({ line: 7, fields: { sku: "A-1" } }) // => '{"line":7,"fields":{"sku":"A-1"}}'
 */
export const stagedChunkLine = (row: StagedRow) => JSON.stringify(row);

const OPEN_BRACE = 0x7b;

/** A chunk line back as the staged row it was written from. */
export function readChunkLine(chunkLine: string): StagedRow {
  // The planner wrote every chunk: a line that is not a row is a broken object, not a bad row.
  if (chunkLine.charCodeAt(0) !== OPEN_BRACE) throw new Error("catalog-imports: malformed chunk line");
  return JSON.parse(chunkLine) as StagedRow;
}
