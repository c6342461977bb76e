import { createRoute, z } from "@hono/zod-openapi";
import { bearerAuth, problems } from "../../platform/http/openapi";
import { authenticate } from "../accounts/authenticate";
import { JobIdParamsSchema, JobSchema } from "../jobs/jobs.schemas";

const tags = ["Catalog imports"];
const merchant = authenticate({ roles: ["merchant"], scope: "catalog:write" });
const file = (example: string) => ({ schema: z.string().openapi({ format: "binary", example }) });

export const uploadImport = createRoute({
  method: "post",
  path: "/v1/catalog/imports",
  tags,
  summary: "Import a catalog file (NDJSON or CSV) as a background job",
  description:
    "For merchants, with a session or an API key holding `catalog:write`. The body is the file itself, " +
    "`application/x-ndjson` (one JSON object per line) or `text/csv` (a header line naming the columns), up " +
    "to 50 MiB; it is streamed to storage, never held whole in memory. Columns: sku (the key), title, " +
    'description, category, price (major units, at most 2 decimals, e.g. "19.99"), stock, and optionally ' +
    "currency (ISO 4217, default USD); any other column (CSV) or field (NDJSON) is ignored and named in the " +
    "job's `result.ignoredColumns` (sorted, at most 20). The answer is the import's job (its id is the import's id); each " +
    "good row is upserted by SKU and becomes searchable, each bad row is listed with its line and reason at " +
    "`/v1/catalog/imports/{id}/errors`. A job with bad rows still succeeds for its good rows. Uploading the " +
    "same file again (same SHA-256) answers with the same job and processes nothing twice.",
  security: bearerAuth,
  middleware: [merchant] as const,
  request: {
    body: {
      required: true,
      content: {
        "application/x-ndjson": file(
          '{"sku":"LAMP-1","title":"Brass lamp","description":"…","category":"lighting","price":"49.99","stock":12}',
        ),
        "text/csv": file("sku,title,description,category,price,stock\nLAMP-1,Brass lamp,…,lighting,49.99,12"),
      },
    },
  },
  responses: {
    202: {
      description: "Accepted: the import's job, as GET /v1/jobs/{id} returns it",
      headers: {
        Location: { description: "The job", schema: { type: "string", example: "/v1/jobs/job_…" } },
      },
      content: { "application/json": { schema: JobSchema } },
    },
    ...problems(415, 422),
  },
});

export const importErrors = createRoute({
  method: "get",
  path: "/v1/catalog/imports/{id}/errors",
  tags,
  summary: "Download an import's rejected rows as CSV",
  description:
    "`line,reason`, one row per rejected line of the uploaded file (a CSV record's first line), in line " +
    "order. Available while the import runs (the rows rejected so far) and after; just the header when no " +
    "row was rejected. Someone else's import is answered like an unknown id: 404.",
  security: bearerAuth,
  middleware: [merchant] as const,
  request: { params: JobIdParamsSchema },
  responses: {
    200: {
      description: "The error report",
      headers: {
        "Content-Disposition": {
          description: "An attachment named after the import",
          schema: { type: "string", example: 'attachment; filename="job_…-errors.csv"' },
        },
      },
      content: {
        "text/csv": { schema: z.string().openapi({ example: "line,reason\n3,price: must be …\n" }) },
      },
    },
    ...problems(404),
  },
});
