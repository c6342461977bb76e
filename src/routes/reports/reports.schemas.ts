import { z } from "@hono/zod-openapi";
import type { Report } from "../../flows/reports/queries";
import {
  MAX_REPORT_DAYS,
  REPORT_STATUSES,
  REPORT_TYPES,
  reportDownloadUrl,
  reportRange,
} from "../../flows/reports/report";

const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;
const OFFSET = "(Z|[+-]\\d{2}:\\d{2})";
/** RFC 3339 date-times (seconds required), written as the server reads them: `T` and `Z` upper case. */
const DATE_TIME = new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?${OFFSET}$`);
/** Many clients drop the seconds; read the same way, so documented as a third form. */
const DATE_TIME_NO_SECONDS = new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}${OFFSET}$`);

/** A date-time is read as its UTC day; a calendar day stands as written (reportRange checks it exists). */
const utcDay = (value: string) =>
  CALENDAR_DAY.test(value) ? value : new Date(Date.parse(value)).toISOString().slice(0, 10);

const parses = (value: string) => !Number.isNaN(Date.parse(value));

/**
 * A report bound: a calendar day, or a date-time read as its UTC day. Each form is its own branch so
 * the published schema (anyOf) admits exactly what the server accepts, and a spec-driven client
 * neither refuses a date-time nor sends something the server rejects.
 */
const Day = (description: string, example: string) =>
  z
    .union(
      [
        z.string().regex(CALENDAR_DAY).openapi({ format: "date", example }),
        z
          .string()
          .regex(DATE_TIME)
          .refine(parses)
          .openapi({ format: "date-time", example: `${example}T00:00:00Z` }),
        z
          .string()
          .regex(DATE_TIME_NO_SECONDS)
          .refine(parses)
          .openapi({ description: "A date-time without seconds.", example: `${example}T00:00Z` }),
      ],
      { error: "must be a date as YYYY-MM-DD or an ISO 8601 date-time" },
    )
    .transform(utcDay)
    .openapi({ description: `${description} A date-time is read as its UTC day.` });

/** What to report on: a type and an inclusive range of UTC days, at most a year long. */
export const CreateReportRequestSchema = z
  .strictObject({
    type: z.enum(REPORT_TYPES).openapi({ description: "sales, products or settlements." }),
    from: Day("First UTC day in the report (inclusive).", "2026-01-01"),
    to: Day(
      `Last UTC day in the report (inclusive); at most ${MAX_REPORT_DAYS} days after from.`,
      "2026-01-31",
    ),
  })
  .superRefine((body, ctx) => {
    const r = reportRange(body.from, body.to);
    if (!r.ok) ctx.addIssue({ code: "custom", path: [r.problem.field], message: r.problem.message });
  })
  .openapi("CreateReportRequest");

export const ReportIdParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "job_01jxyz…" }),
});

export const ReportSchema = z
  .object({
    id: z.string().openapi({ example: "job_01jxyz…", description: "Also the id of the report's job." }),
    type: z.enum(REPORT_TYPES),
    from: z.string().openapi({ format: "date" }),
    to: z.string().openapi({ format: "date" }),
    status: z.enum(REPORT_STATUSES).openapi({ description: "queued → building → ready | failed." }),
    rows: z.number().int().nonnegative().nullable().openapi({ description: "Data rows; set when ready." }),
    bytes: z.number().int().nonnegative().nullable().openapi({ description: "CSV size; set when ready." }),
    downloadUrl: z.string().nullable().openapi({ example: "/v1/reports/job_01jxyz…/download" }),
    jobUrl: z.string().openapi({ example: "/v1/jobs/job_01jxyz…" }),
    createdAt: z.iso.datetime(),
    readyAt: z.iso.datetime().nullable(),
  })
  .openapi("Report");

export function toReportResponse(row: Report): z.infer<typeof ReportSchema> {
  return {
    id: row.id,
    type: row.type,
    from: row.fromDay,
    to: row.toDay,
    status: row.status,
    rows: row.rows,
    bytes: row.bytes,
    downloadUrl: row.status === "ready" ? reportDownloadUrl(row.id) : null,
    jobUrl: `/v1/jobs/${row.id}`,
    createdAt: new Date(row.createdAt).toISOString(),
    readyAt: row.readyAt === null ? null : new Date(row.readyAt).toISOString(),
  };
}
