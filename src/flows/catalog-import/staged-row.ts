import type { CsvRecord } from "./csv-records";
import { IMPORT_COLUMNS, REQUIRED_COLUMNS } from "./import-row";

/**
 * A row as the planner stages it in a chunk: its line in the uploaded file and either its fields
 * (validated later, by the applier) or why it could not even be read.
 */
export type StagedRow = { line: number; fields: Record<string, unknown> } | { line: number; error: string };

/** A file that cannot be read at all: the job fails with this code instead of being retried. */
export class UnreadableImportError extends Error {
  override readonly name = "UnreadableImportError";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Whether an NDJSON line is blank: blank lines are not rows (they still count in line numbers). */
export const isBlankLine = (text: string) => text.trim() === "";

/** An NDJSON row as a staged row: its fields, or why it is not a JSON object. */
export function readNdjsonRow(line: number, text: string): StagedRow {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { line, error: "not valid JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { line, error: "must be a JSON object" };
  }
  return { line, fields: value as Record<string, unknown> };
}

/** A CSV header read: every column's name in order, and the names of those an import ignores. */
export interface CsvHeader {
  columns: string[];
  ignored: string[];
}

/**
 * Reads a CSV header. Every required column must be there, once: a file without one would reject every
 * row for the same reason, and a repeated one is ambiguous. Any other column is ignored (and named in
 * the job's result): merchants' exports from other platforms carry their own.
 */
export function csvColumns(header: CsvRecord): CsvHeader {
  const named = header.fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, "") : f).trim());
  const columns = named.map((c) => c.toLowerCase());
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  const duplicated = columns.filter((c, i) => columns.indexOf(c) !== i);
  const problems = [
    missing.length > 0 ? `missing column(s): ${missing.join(", ")}` : null,
    duplicated.length > 0 ? `repeated column(s): ${duplicated.join(", ")}` : null,
  ].filter((p) => p !== null);
  if (problems.length > 0) {
    throw new UnreadableImportError(
      "invalid-csv-header",
      `The first line must be a header naming the columns ${IMPORT_COLUMNS.join(", ")} (currency optional; others are ignored): ${problems.join("; ")}.`,
    );
  }
  return { columns, ignored: named.filter((_, i) => !IMPORT_COLUMNS.includes(columns[i] as string)) };
}

/**
 * A CSV record under its header as a staged row, with the columns an import uses (the ignored ones are
 * left out). Empty optional cells count as absent.
 */
export function stageCsvRecord({ columns }: CsvHeader, record: CsvRecord): StagedRow {
  if (record.error !== undefined) return { line: record.line, error: record.error };
  if (record.fields.length !== columns.length) {
    return {
      line: record.line,
      error: `has ${record.fields.length} field(s); the header has ${columns.length}`,
    };
  }
  const fields: Record<string, unknown> = {};
  columns.forEach((c, i) => {
    if (IMPORT_COLUMNS.includes(c)) fields[c] = record.fields[i];
  });
  return { line: record.line, fields };
}
