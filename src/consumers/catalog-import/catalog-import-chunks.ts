import { applyChunk } from "../../flows/catalog-import/apply-chunk";
import type { D1Consumer } from "../../platform/events/consumer";

/**
 * Catalog imports' applier (`catalog.import_chunk_staged`): validates and upserts one chunk in one D1
 * batch with the runtime's dedup row. On its own queue, so chunks are applied while the planner (on
 * `crossdock-catalog-imports`) is still reading the rest of the file.
 */
export const catalogImportChunksConsumer = {
  name: "catalog-import-chunks",
  effect: "d1",
  handle: (event, ctx) => applyChunk(event, ctx),
} satisfies D1Consumer<"catalog.import_chunk_staged">;
