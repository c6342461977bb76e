import { z } from "@hono/zod-openapi";
import { JOB_STATUSES, JOB_TYPES } from "../../platform/jobs/job";
import type { JobRow } from "../../platform/jobs/schema";

export const JobIdParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "job_01jxyz…" }),
});

const Count = z.number().int().nonnegative();

export const JobSchema = z
  .object({
    id: z.string().openapi({ example: "job_01jxyz…" }),
    type: z.enum(JOB_TYPES),
    status: z.enum(JOB_STATUSES).openapi({ description: "queued → running → succeeded | failed." }),
    progress: z
      .object({
        processed: Count.openapi({
          description: "Units done so far (rows for an import), failed ones included.",
        }),
        total: Count.nullable().openapi({ description: "Null until the work has been planned." }),
        failed: Count.openapi({ description: "Units that could not be processed (e.g. rejected rows)." }),
      })
      .openapi("JobProgress"),
    result: z.record(z.string(), z.unknown()).nullable().openapi({
      description: "What the job produced, by type (e.g. a report's downloadUrl); set when it succeeds.",
    }),
    error: z
      .object({ code: z.string(), message: z.string() })
      .nullable()
      .openapi({ description: "Why the job failed; set when it fails." }),
    createdAt: z.iso.datetime(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
    streamUrl: z.string().openapi({ example: "/v1/jobs/job_01jxyz…/stream" }),
  })
  .openapi("Job");

export type JobResponse = z.infer<typeof JobSchema>;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toJobResponse(row: JobRow): JobResponse {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    progress: { processed: row.processed, total: row.total, failed: row.failed },
    result: row.result ?? null,
    error: row.error ?? null,
    createdAt: new Date(row.createdAt).toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    streamUrl: `/v1/jobs/${row.id}/stream`,
  };
}
