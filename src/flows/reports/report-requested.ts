import { z } from "zod";
import { defineEvent } from "../../platform/events/define-event";
import { REPORT_TYPES } from "./report";

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const V1 = z.object({
  reportId: z.string(),
  ownerId: z.string(),
  type: z.enum(REPORT_TYPES),
  from: Day,
  to: Day,
});

export const reportRequested = defineEvent({
  type: "report.requested",
  description:
    "A merchant asked for a report (CSV over a range of UTC days); the reports consumer builds it.",
  subject: "report",
  current: V1,
  versions: [
    {
      version: 1,
      schema: V1,
      example: { reportId: "job_01", ownerId: "usr_m1", type: "sales", from: "2026-01-01", to: "2026-01-31" },
    },
  ],
});
