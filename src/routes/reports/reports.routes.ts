import { createRoute } from "@hono/zod-openapi";
import { idempotency, idempotencyKeyHeaders, replayedHeader } from "../../platform/http/idempotency";
import { bearerAuth, problems } from "../../platform/http/openapi";
import { authenticate } from "../accounts/authenticate";
import { JobSchema } from "../jobs/jobs.schemas";
import { CreateReportRequestSchema, ReportIdParamsSchema, ReportSchema } from "./reports.schemas";

const tags = ["Reports"];
// Merchants only (a buyer has no sales; an admin is not a merchant), or a merchant's reports:read key.
const owner = authenticate({ roles: ["merchant"], scope: "reports:read" });

export const createReport = createRoute({
  method: "post",
  path: "/v1/reports",
  tags,
  summary: "Ask for a CSV report (sales, products or settlements) over a range of UTC days",
  description:
    "Answers at once with the report's job (its id is the report's id); the CSV is built in the " +
    "background, and you are emailed when it is ready. Follow it at `Location` (GET /v1/jobs/{id}) or its " +
    "stream; once it succeeds, `result.downloadUrl` is where to download it.",
  security: bearerAuth,
  middleware: [owner, idempotency()] as const,
  request: {
    headers: idempotencyKeyHeaders(),
    body: { required: true, content: { "application/json": { schema: CreateReportRequestSchema } } },
  },
  responses: {
    202: {
      description: "The report is queued; the body is its job, as GET /v1/jobs/{id} shows it",
      headers: {
        ...replayedHeader,
        Location: { description: "The job's URL.", schema: { type: "string" as const } },
      },
      content: { "application/json": { schema: JobSchema } },
    },
    ...problems(409, 422),
  },
});

export const getReport = createRoute({
  method: "get",
  path: "/v1/reports/{id}",
  tags,
  summary: "Read one of your reports: type, range, status, size",
  description: "Someone else's report is answered exactly like an unknown id: 404.",
  security: bearerAuth,
  middleware: [owner] as const,
  request: { params: ReportIdParamsSchema },
  responses: {
    200: { description: "The report", content: { "application/json": { schema: ReportSchema } } },
    ...problems(404),
  },
});

export const downloadReport = createRoute({
  method: "get",
  path: "/v1/reports/{id}/download",
  tags,
  summary: "Download one of your reports as CSV",
  description:
    "Streams the CSV once the report is ready. Not ready yet: 409 `report-not-ready` with Retry-After. " +
    "Failed: 410 `report-failed` (it will never exist; request a new one). Someone else's report or an " +
    "unknown id: 404.",
  security: bearerAuth,
  middleware: [owner] as const,
  request: { params: ReportIdParamsSchema },
  responses: {
    200: {
      description: "The report's CSV (RFC 4180, UTF-8, CRLF line ends, a header row first)",
      headers: {
        "Content-Disposition": {
          description: 'attachment; filename="<type>-<from>-<to>.csv"',
          schema: { type: "string" as const },
        },
        "Content-Length": { description: "The file's size in bytes.", schema: { type: "string" as const } },
      },
      content: { "text/csv": { schema: { type: "string" } } },
    },
    ...problems(404, 409, 410),
  },
});
