import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { NotFoundError } from "../errors";
import { type JobRow, jobs } from "./schema";

/**
 * A job its owner may see, or any job for `ownerId` null (an operator's console). Someone else's job is
 * answered exactly like an unknown id (404), so ids reveal nothing about other accounts.
 */
export async function findJob(db: Db, id: string, ownerId: string | null): Promise<JobRow> {
  const row = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, id), ownerId === null ? undefined : eq(jobs.ownerId, ownerId)))
    .get();
  if (!row) throw new NotFoundError("job", id);
  return row;
}
