import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { getDb } from "../../src/platform/db/client";
import type { JobType } from "../../src/platform/jobs/job";
import { createJob } from "../../src/platform/jobs/job-statements";
import type { JobRow } from "../../src/platform/jobs/schema";
import { jobs } from "../../src/platform/jobs/schema";

/** Creates a queued job for `ownerId` straight in D1, as a route accepting long work would. */
export async function createTestJob(ownerId: string, type: JobType = "report"): Promise<string> {
  const { id, statement } = createJob(getDb(env.DB), { ownerId, type, now: Date.now() });
  await statement.run();
  return id;
}

export async function jobRow(id: string): Promise<JobRow | undefined> {
  return getDb(env.DB).select().from(jobs).where(eq(jobs.id, id)).get();
}
