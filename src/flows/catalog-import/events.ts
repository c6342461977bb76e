import { z } from "zod";
import { defineEvent } from "../../platform/events/define-event";
import { IMPORT_FORMATS } from "./formats";

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

/**
 * Where a chunk's rows are: a chunk object the planner wrote (`chunk`: CSV, whose records it parses),
 * or a byte range of the uploaded NDJSON file itself (`range`), read with a ranged get; `firstLine` is
 * the file's line number of the range's first line.
 */
export const ChunkSource = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("chunk"), key: z.string() }),
  z.object({
    kind: z.literal("range"),
    key: z.string(),
    offset: Count,
    length: z.number().int().positive(),
    firstLine: z.number().int().positive(),
  }),
]);
export type ChunkSource = z.infer<typeof ChunkSource>;

/**
 * v2 is the first version kept: v1 (an `objectKey` instead of `source`) was replaced before Crossdock
 * was first deployed, so no v1 fact was ever stored.
 */
const ChunkStagedV2 = z.object({
  ...ids,
  chunk: Count,
  rows: Count,
  source: ChunkSource,
});

export const catalogImportChunkStaged = defineEvent({
  type: "catalog.import_chunk_staged",
  description:
    "One chunk of an import's rows is ready to be validated and applied: a chunk object in R2, or a byte range of the uploaded file.",
  subject: "catalog_import",
  current: ChunkStagedV2,
  versions: [
    {
      version: 2,
      schema: ChunkStagedV2,
      example: {
        importId: "job_01",
        merchantId: "usr_m1",
        chunk: 1,
        rows: 1000,
        source: {
          kind: "range",
          key: "imports/job_01/source",
          offset: 241_337,
          length: 240_912,
          firstLine: 1002,
        },
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
