import { readNdjsonRow, type StagedRow } from "./staged-row";

/**
 * How a chunk object holds its rows: one row per line, in one of two forms.
 *
 * - `<line>\t<raw NDJSON line>`: an NDJSON row copied as uploaded, with its physical line number. The
 *   planner does not parse it; the applier does (it has to anyway, to validate it), with the same
 *   reasons for a line that is not a JSON object (`readNdjsonRow`).
 * - `{"line":…,"fields":{…}}` or `{"line":…,"error":"…"}`: a row the planner had to read itself — a
 *   CSV record, whose fields may span lines. Chunks written before raw NDJSON lines hold only these.
 *
 * A line number starts with a digit and a JSON object with `{`, so the first character tells the forms
 * apart. A raw line never holds a line break (it was split on them), so it cannot split a chunk line.
 *
 * @example
 * rawChunkLine(7, '{"sku":"A-1"}') // => '7\t{"sku":"A-1"}'
 * readChunkLine('7\t{"sku":"A-1"}') // => { line: 7, fields: { sku: "A-1" } }
 */
export const rawChunkLine = (line: number, text: string) => `${line}\t${text}`;

export const stagedChunkLine = (row: StagedRow) => JSON.stringify(row);

const OPEN_BRACE = 0x7b;

/** A chunk line back as a staged row (see above for its two forms). */
export function readChunkLine(chunkLine: string): StagedRow {
  if (chunkLine.charCodeAt(0) === OPEN_BRACE) return JSON.parse(chunkLine) as StagedRow;
  const tab = chunkLine.indexOf("\t");
  const line = Number(chunkLine.slice(0, tab));
  // The planner wrote every chunk: a line without its number is a broken object, not a bad row.
  if (tab < 1 || !Number.isInteger(line)) throw new Error("catalog-imports: malformed chunk line");
  return readNdjsonRow(line, chunkLine.slice(tab + 1));
}
