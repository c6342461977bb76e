import { defineFlow } from "../../platform/events/registry";
import { catalogImportChunkStaged, catalogImported, catalogImportUploaded } from "./events";

/** Catalog import: a merchant's CSV or NDJSON file, planned into chunks and applied while it is read. */
export const catalogImportFlow = defineFlow({
  name: "catalog-import",
  events: {
    [catalogImportUploaded.type]: catalogImportUploaded,
    [catalogImportChunkStaged.type]: catalogImportChunkStaged,
    // Nothing consumes it yet (search reads D1 directly); recorded for the audit trail and traces.
    [catalogImported.type]: catalogImported,
  },
  consumers: {
    "catalog-imports": {
      description: "Plans an uploaded file, recording its chunks in groups as it reads them.",
      producer: "CATALOG_IMPORTS_QUEUE",
      delivery: { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 5, retryDelay: 2 },
      subscribes: [catalogImportUploaded.type],
    },
    // Chunks have their own queue: on the planner's, they would wait for it to read the whole file.
    "catalog-import-chunks": {
      description:
        "Validates and upserts one chunk of an import, while the planner may still be reading the file.",
      producer: "CATALOG_IMPORT_CHUNKS_QUEUE",
      delivery: { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 5, retryDelay: 2 },
      subscribes: [catalogImportChunkStaged.type],
    },
  },
});
