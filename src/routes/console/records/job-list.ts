import { z } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { listFingerprint } from "../../../flows/ops/cursor";
import { getDb } from "../../../platform/db/client";
import { JOB_STATUSES, JOB_TYPES } from "../../../platform/jobs/job";
import { jobs } from "../../../platform/jobs/schema";
import { toJobResponse } from "../../jobs/jobs.schemas";
import { afterCursor, type Keyset, pageQuery, toPage } from "../../ops/ops.shared";

export const JobListQuery = z.strictObject({
  status: z.enum(JOB_STATUSES).optional(),
  type: z.enum(JOB_TYPES).optional(),
  owner: z.string().min(1).max(128).optional(),
  ...pageQuery,
});

/**
 * One page of every account's jobs, newest first, as the job resource shows each (GET /v1/jobs/{id}),
 * with its owner. Job ids are time-ordered (`newId("job", now)`), so the primary key is the order and a
 * page is one seek on it; the filters skip rows along that key.
 *
 * @throws InvalidCursorError for a cursor from another list or filters.
 */
export async function jobsPage(env: Env, query: z.output<typeof JobListQuery>) {
  const { limit, cursor, ...filters } = query;
  const keyset: Keyset = { id: jobs.id, direction: "desc", fingerprint: listFingerprint("jobs", filters) };
  const rows = await getDb(env.DB)
    .select()
    .from(jobs)
    .where(
      and(
        filters.status === undefined ? undefined : eq(jobs.status, filters.status),
        filters.type === undefined ? undefined : eq(jobs.type, filters.type),
        filters.owner === undefined ? undefined : eq(jobs.ownerId, filters.owner),
        afterCursor(keyset, cursor),
      ),
    )
    .orderBy(desc(jobs.id))
    .limit(limit + 1);
  const page = toPage(rows, limit, (r) => [r.createdAt, r.id], keyset.fingerprint);
  return {
    items: page.items.map((r) => ({ ...toJobResponse(r), ownerId: r.ownerId })),
    nextCursor: page.nextCursor,
  };
}
