import type { RouteHandler } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { IMPORT_MEDIA_TYPES, importFormatOf } from "../../flows/catalog-import/formats";
import { sourceKey } from "../../flows/catalog-import/keys";
import { catalogImports } from "../../flows/catalog-import/schema";
import { storeUpload } from "../../flows/catalog-import/store-upload";
import { getDb } from "../../platform/db/client";
import {
  NotFoundError,
  UnprocessableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from "../../platform/errors";
import { newEvent } from "../../platform/events/new-event";
import { outboxStatements } from "../../platform/events/outbox";
import { publishAfterCommit } from "../../platform/events/publish";
import { csvAttachment } from "../../platform/files/csv-attachment";
import type { AppEnv } from "../../platform/http/app-env";
import { maxImportBytes } from "../../platform/http/guards";
import { principalOf } from "../../platform/http/principal";
import { requestOrigin } from "../../platform/http/request-origin";
import { newId } from "../../platform/ids";
import { findJob } from "../../platform/jobs/find-job";
import { createJob } from "../../platform/jobs/job-statements";
import { toJobResponse } from "../jobs/jobs.schemas";
import type { importErrors, uploadImport } from "./catalog-imports.routes";
import { errorReportStream } from "./error-report";

function contentLengthOf(header: string | undefined): number | null {
  if (header === undefined) return null;
  if (!/^\d{1,16}$/.test(header.trim())) {
    throw new ValidationError([{ field: "content-length", in: "header", message: "must be a byte count" }]);
  }
  return Number(header);
}

const emptyUpload = () => new UnprocessableError("The uploaded file is empty.", "empty-import");

/**
 * Accepts a catalog file: streams it to R2 under the new import's id while hashing it, then one batch
 * records the import, its job and `catalog.import_uploaded`. The import's UNIQUE (merchant, content
 * hash) decides re-uploads, race-safely: the loser's batch aborts whole, its object is deleted, and it
 * answers with the job the first upload created.
 */
export const uploadImportHandler: RouteHandler<typeof uploadImport, AppEnv> = async (c) => {
  const format = importFormatOf(c.req.header("content-type"));
  if (!format) throw new UnsupportedMediaTypeError(IMPORT_MEDIA_TYPES.join(" or "));
  const maxBytes = maxImportBytes(c.env);
  // A declared length over maxBytes was already refused (413) by jsonBodyLimit, before authentication.
  const contentLength = contentLengthOf(c.req.header("content-length"));
  const body = c.req.raw.body;
  if (contentLength === 0 || !body) throw emptyUpload();

  const merchantId = principalOf(c).userId;
  const now = Date.now();
  const id = newId("job", now);
  const objectKey = sourceKey(id);
  const { bytes, sha256 } = await storeUpload(c.env.FILES, objectKey, body, { contentLength, maxBytes });
  if (bytes === 0) {
    await c.env.FILES.delete(objectKey);
    throw emptyUpload();
  }

  const db = getDb(c.env.DB);
  const { causation, record: request } = requestOrigin(c, merchantId);
  const uploaded = newEvent(
    "catalog.import_uploaded",
    id,
    { importId: id, merchantId, format, contentHash: sha256, bytes, objectKey },
    causation,
    "/crossdock/api",
    now,
  );
  let jobId = id;
  try {
    await db.batch([
      // First, so a re-upload aborts the batch before anything else is written.
      db.insert(catalogImports).values({
        id,
        merchantId,
        contentHash: sha256,
        format,
        bytes,
        objectKey,
        createdAt: now,
        updatedAt: now,
      }),
      createJob(db, { id, ownerId: merchantId, type: "catalog_import", now }).statement,
      ...outboxStatements(db, [uploaded], request, now),
    ]);
    publishAfterCommit(c, [uploaded]);
    c.get("log").info("catalog-import.uploaded", { importId: id, format, bytes, eventId: uploaded.id });
  } catch (err) {
    await c.env.FILES.delete(objectKey);
    if (!String((err as Error).message).includes("catalog_imports.merchant_id")) throw err;
    const first = await db
      .select({ id: catalogImports.id })
      .from(catalogImports)
      .where(and(eq(catalogImports.merchantId, merchantId), eq(catalogImports.contentHash, sha256)))
      .get();
    if (!first) throw err;
    jobId = first.id;
    c.get("log").info("catalog-import.reuploaded", { importId: jobId, bytes });
  }
  const job = await findJob(db, jobId, merchantId);
  c.header("Location", `/v1/jobs/${job.id}`);
  return c.json(toJobResponse(job), 202);
};

export const importErrorsHandler: RouteHandler<typeof importErrors, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const db = getDb(c.env.DB);
  const own = await db
    .select({ id: catalogImports.id })
    .from(catalogImports)
    .where(and(eq(catalogImports.id, id), eq(catalogImports.merchantId, principalOf(c).userId)))
    .get();
  if (!own) throw new NotFoundError("import", id);
  return csvAttachment(errorReportStream(db, id), `${id}-errors.csv`);
};
