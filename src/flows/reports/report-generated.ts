import { z } from "zod";
import { defineEvent } from "../../platform/events/define-event";
import { REPORT_TYPES } from "./report";

const V1 = z.object({
  reportId: z.string(),
  ownerId: z.string(),
  type: z.enum(REPORT_TYPES),
  from: z.string(),
  to: z.string(),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** Path of the download, relative to the API's origin; it needs the owner's credentials. */
  downloadUrl: z.string(),
});

export const reportGenerated = defineEvent({
  type: "report.generated",
  description: "A requested report's CSV is stored and ready to download; its owner is emailed.",
  subject: "report",
  current: V1,
  versions: [
    {
      version: 1,
      schema: V1,
      example: {
        reportId: "job_01",
        ownerId: "usr_m1",
        type: "sales",
        from: "2026-01-01",
        to: "2026-01-31",
        rows: 1250,
        bytes: 182_000,
        downloadUrl: "/v1/reports/job_01/download",
      },
    },
  ],
});
