import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { getDb } from "../../src/db/client";
import type { JobRow } from "../../src/db/schema-jobs";
import { jobs } from "../../src/db/schema-jobs";
import type { JobType } from "../../src/domain/jobs/job";
import { createJob } from "../../src/platform/jobs/job-statements";

/** Creates a queued job for `ownerId` straight in D1, as a route accepting long work would. */
export async function createTestJob(ownerId: string, type: JobType = "report"): Promise<string> {
  const { id, statement } = createJob(getDb(env.DB), { ownerId, type, now: Date.now() });
  await statement.run();
  return id;
}

export async function jobRow(id: string): Promise<JobRow | undefined> {
  return getDb(env.DB).select().from(jobs).where(eq(jobs.id, id)).get();
}
