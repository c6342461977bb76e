/**
 * Rows per chunk of an import: one chunk is one queue message and one upsert statement (one JSON
 * parameter). Larger chunks mean fewer messages and batches; each must stay well inside a consumer
 * invocation's limits and D1's 2 MB per value (the applier slices bigger ones).
 */
export const CHUNK_ROWS = 1_000;
