import { z } from "zod";
import { IMPORT_FORMATS } from "../../catalog-import/formats";
import { defineEvent } from "../define-event";

const Count = z.number().int().nonnegative();
const ids = { importId: z.string(), merchantId: z.string() };

const UploadedV1 = z.object({
  ...ids,
  format: z.enum(IMPORT_FORMATS),
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: Count,
  objectKey: z.string(),
});

export const catalogImportUploaded = defineEvent({
  type: "catalog.import_uploaded",
  description: "A merchant's catalog file was stored (R2) and accepted as an import job; it is to be split.",
  subject: "catalog_import",
  current: UploadedV1,
  versions: [
    {
      version: 1,
      schema: UploadedV1,
      example: {
        importId: "job_01",
        merchantId: "usr_m1",
        format: "ndjson",
        contentHash: "a".repeat(64),
        bytes: 1234,
        objectKey: "imports/job_01/source",
      },
    },
  ],
});

const ChunkStagedV1 = z.object({
  ...ids,
  chunk: Count,
  rows: Count,
  objectKey: z.string(),
});

export const catalogImportChunkStaged = defineEvent({
  type: "catalog.import_chunk_staged",
  description: "One chunk of an import's rows was written to R2, ready to be validated and applied.",
  subject: "catalog_import",
  current: ChunkStagedV1,
  versions: [
    {
      version: 1,
      schema: ChunkStagedV1,
      example: {
        importId: "job_01",
        merchantId: "usr_m1",
        chunk: 0,
        rows: 1000,
        objectKey: "imports/job_01/chunks/0.ndjson",
      },
    },
  ],
});

const ImportedV1 = z.object({
  ...ids,
  rows: Count,
  upserted: Count,
  rejected: Count,
  contentHash: z.string(),
});

export const catalogImported = defineEvent({
  type: "catalog.imported",
  description: "A catalog import finished: its good rows are upserted and searchable, its bad rows reported.",
  subject: "catalog_import",
  current: ImportedV1,
  versions: [
    {
      version: 1,
      schema: ImportedV1,
      example: {
        importId: "job_01",
        merchantId: "usr_m1",
        rows: 1000,
        upserted: 998,
        rejected: 2,
        contentHash: "a".repeat(64),
      },
    },
  ],
});
