import { createRouter } from "../../platform/http/router";
import { importErrorsHandler, uploadImportHandler } from "./catalog-imports.handlers";
import { importErrors, uploadImport } from "./catalog-imports.routes";

/** Catalog ingestion: uploads become import jobs (GET /v1/jobs/:id) with a downloadable error report. */
export const catalogImportRoutes = createRouter()
  .openapi(uploadImport, uploadImportHandler)
  .openapi(importErrors, importErrorsHandler);
