/**
 * Catalog imports (POST /v1/catalog/imports). An import's id is its job's id. The file lives in R2
 * (FILES); D1 holds what makes the flow exactly-once: one import per (merchant, content hash), one row
 * per applied chunk, and the rows each chunk rejected, for the error report.
 */
import { integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { IMPORT_FORMATS } from "./formats";

/**
 * An import's status is its job's (`jobs.status`, the only one stored), with `chunk_count` telling the
 * planning apart: job `queued` (uploaded, not yet planned) → `running` with no `chunk_count` (chunks
 * being recorded, in groups, and applied as they are) → `running` with `chunk_count` (every chunk
 * recorded: `rows` and `chunk_count` known) → `succeeded`; or `failed`.
 */
export const catalogImports = sqliteTable(
  "catalog_imports",
  {
    /** The job's id (`job_…`). */
    id: text("id").primaryKey(),
    merchantId: text("merchant_id").notNull(),
    /** SHA-256 of the file, hex: the same file uploaded again is the same import. */
    contentHash: text("content_hash").notNull(),
    format: text("format", { enum: IMPORT_FORMATS }).notNull(),
    bytes: integer("bytes").notNull(),
    objectKey: text("object_key").notNull(),
    /** Known once planned (not while planning): the rows in the file and the chunks they were split into. */
    rows: integer("rows"),
    chunkCount: integer("chunk_count"),
    chunksApplied: integer("chunks_applied").notNull().default(0),
    upserted: integer("upserted").notNull().default(0),
    rejected: integer("rejected").notNull().default(0),
    /**
     * Columns (CSV) or fields (NDJSON) the file carries that an import does not use: ignored, and named
     * in the job's result (`ignoredColumns`). A JSON array, sorted, at most MAX_IGNORED_COLUMNS names.
     */
    ignoredColumns: text("ignored_columns", { mode: "json" }).$type<string[]>(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("catalog_imports_merchant_hash_idx").on(t.merchantId, t.contentHash)],
);

/** A chunk whose rows are applied: its key is what makes a redelivered chunk a no-op. */
export const catalogImportChunks = sqliteTable(
  "catalog_import_chunks",
  {
    importId: text("import_id").notNull(),
    chunk: integer("chunk").notNull(),
    upserted: integer("upserted").notNull(),
    rejected: integer("rejected").notNull(),
    appliedAt: integer("applied_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.chunk] })],
);

/** A rejected row: its line in the uploaded file (a CSV record's first line) and why. */
export const catalogImportErrors = sqliteTable(
  "catalog_import_errors",
  {
    importId: text("import_id").notNull(),
    line: integer("line").notNull(),
    reason: text("reason").notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.line] })],
);

export type CatalogImportRow = typeof catalogImports.$inferSelect;
