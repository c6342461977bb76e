import { applyChunk } from "../../flows/catalog-import/apply-chunk";
import { planImport } from "../../flows/catalog-import/plan-import";
import type { D1Consumer } from "../../platform/events/consumer";

/**
 * Catalog imports' planner (`catalog.import_uploaded`): cuts an uploaded file into chunks (byte ranges
 * of an NDJSON file, chunk objects in R2 for CSV) and records them in groups as it reads, so the chunk consumer (`catalog-import-chunks`) applies the first
 * chunks while the rest of the file is still being read. It is a D1 consumer: its last group commits in
 * one batch with the runtime's dedup row, the earlier groups commit on their own (idempotently).
 *
 * It still applies a `catalog.import_chunk_staged` delivered to its queue: chunk facts were sent here
 * before they had a queue of their own, and one left on this queue (or redriven to it) must not be
 * dead-lettered for it. A chunk is applied once whichever consumer gets it (the chunk's primary key).
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
