import { applyChunk } from "../platform/catalog-import/apply-chunk";
import { planImport } from "../platform/catalog-import/plan-import";
import type { D1Consumer } from "../platform/events/consumer";

/**
 * Catalog imports, in two steps on one queue: the planner splits an uploaded file into chunks in R2
 * (`catalog.import_uploaded`), the applier validates and upserts one chunk
 * (`catalog.import_chunk_staged`). Both are D1 consumers: their writes commit in one batch with the
 * runtime's dedup row, and the facts they record are relayed once that batch has committed.
 */
export const catalogImportsConsumer = {
  name: "catalog-imports",
  effect: "d1",
  handle(event, ctx) {
    switch (event.type) {
      case "catalog.import_uploaded":
        return planImport(event, ctx);
      case "catalog.import_chunk_staged":
        return applyChunk(event, ctx);
      default: {
        const unhandled: never = event;
        throw new Error(`catalog-imports: unexpected event ${JSON.stringify(unhandled)}`);
      }
    }
  },
} satisfies D1Consumer<"catalog.import_uploaded" | "catalog.import_chunk_staged">;
