import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { NotFoundError } from "../errors";
import { type JobRow, jobs } from "./schema";

/**
 * A job its owner may see. Someone else's job is answered exactly like an unknown id (404), so ids
 * reveal nothing about other accounts.
 */
export async function findOwnJob(db: Db, id: string, ownerId: string): Promise<JobRow> {
  const row = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, id), eq(jobs.ownerId, ownerId)))
    .get();
  if (!row) throw new NotFoundError("job", id);
  return row;
}
