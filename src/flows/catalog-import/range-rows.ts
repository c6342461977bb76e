import { isBlankLine, readNdjsonRow, type StagedRow } from "./staged-row";

/**
 * The rows of an NDJSON byte range (line-ranges.ts), decoded, whose first line is `firstLine`: the same
 * rows, line numbers and reasons as reading the whole file as one range (lines split on LF or CRLF,
 * blank ones skipped). Decode the bytes with `ignoreBOM: true`: only the file's own leading BOM is
 * dropped (by the planner, which starts the first range after it); a U+FEFF starting a later line is
 * part of that line, as it is when the whole file is decoded.
 */
export function rangeRows(text: string, firstLine: number): StagedRow[] {
  const rows: StagedRow[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (!isBlankLine(line)) rows.push(readNdjsonRow(firstLine + i, line));
  }
  return rows;
}
