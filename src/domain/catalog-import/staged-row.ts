import type { CsvRecord } from "./csv-parser";
import { IMPORT_COLUMNS, REQUIRED_COLUMNS } from "./import-row";
import type { NumberedLine } from "./line-splitter";

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

/** An NDJSON line as a staged row; null for a blank line (not a row). */
export function stageNdjsonLine({ line, text }: NumberedLine): StagedRow | null {
  if (text.trim() === "") return null;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return { line, error: "must be a JSON object" };
    }
    return { line, fields: value as Record<string, unknown> };
  } catch {
    return { line, error: "not valid JSON" };
  }
}

/**
 * Reads a CSV header into the column names. Every required column must be there, and nothing unknown:
 * a typo in a header would otherwise reject every row for the same reason.
 */
export function csvColumns(header: CsvRecord): string[] {
  const columns = header.fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, "") : f).trim().toLowerCase());
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  const unknown = columns.filter((c) => !IMPORT_COLUMNS.includes(c));
  const duplicated = columns.filter((c, i) => columns.indexOf(c) !== i);
  const problems = [
    missing.length > 0 ? `missing column(s): ${missing.join(", ")}` : null,
    unknown.length > 0 ? `unknown column(s): ${unknown.join(", ")}` : null,
    duplicated.length > 0 ? `repeated column(s): ${duplicated.join(", ")}` : null,
  ].filter((p) => p !== null);
  if (problems.length > 0) {
    throw new UnreadableImportError(
      "invalid-csv-header",
      `The first line must be a header naming the columns ${IMPORT_COLUMNS.join(", ")} (currency optional): ${problems.join("; ")}.`,
    );
  }
  return columns;
}

/** A CSV record under its header as a staged row. Empty optional cells count as absent. */
export function stageCsvRecord(columns: readonly string[], record: CsvRecord): StagedRow {
  if (record.fields.length !== columns.length) {
    return {
      line: record.line,
      error: `has ${record.fields.length} field(s); the header has ${columns.length}`,
    };
  }
  const fields: Record<string, unknown> = {};
  columns.forEach((c, i) => {
    fields[c] = record.fields[i];
  });
  return { line: record.line, fields };
}
