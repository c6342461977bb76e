import { and, eq, exists, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { newId } from "../ids";
import type { JobError, JobType } from "./job";
import { jobs } from "./schema";

/**
 * The job's writes, as statements for the caller's own `db.batch`: a job changes in the same commit as
 * the work it reports on, so its progress never runs ahead of (or behind) what is stored. Every write
 * after creation is conditional on the job not having ended, so a redelivered message cannot reopen a
 * finished job or count its rows again once it is over.
 *
 * @example
 * const { id, statement } = createJob(db, { ownerId, type: "report", now });
 * await db.batch([statement, ...outboxStatements(db, [requested], record)]);
 */
export function createJob(db: Db, input: { ownerId: string; type: JobType; now: number; id?: string }) {
  const id = input.id ?? newId("job", input.now);
  const statement = db.insert(jobs).values({
    id,
    ownerId: input.ownerId,
    type: input.type,
    status: "queued",
    createdAt: input.now,
    updatedAt: input.now,
  });
  return { id, statement };
}

const open = (id: string) => and(eq(jobs.id, id), inArray(jobs.status, ["queued", "running"]));
const bump = { version: sql`${jobs.version} + 1` };

/**
 * True while the job has not ended: the condition for writes to the rows of the work it tracks (a
 * report, an import), whose own status is the job's.
 *
 * @example
 * db.update(reports).set({ readyAt: now }).where(and(eq(reports.id, id), jobIsOpen(db, id)));
 */
export const jobIsOpen = (db: Db, id: string) =>
  exists(db.select({ id: jobs.id }).from(jobs).where(open(id)));

/** The work has started; `total` when it is known (it may be set later by `setJobTotal`). */
export function startJob(db: Db, id: string, now: number, total?: number) {
  return db
    .update(jobs)
    .set({
      status: "running",
      startedAt: sql`coalesce(${jobs.startedAt}, ${now})`,
      updatedAt: now,
      ...(total === undefined ? {} : { total }),
      ...bump,
    })
    .where(open(id));
}

export function setJobTotal(db: Db, id: string, total: number, now: number) {
  return db
    .update(jobs)
    .set({ total, updatedAt: now, ...bump })
    .where(open(id));
}

/** Adds a unit of work's counts. Commit it with the unit's own dedup record so it counts once. */
export function addJobProgress(
  db: Db,
  id: string,
  delta: { processed: number; failed: number },
  now: number,
) {
  return db
    .update(jobs)
    .set({
      processed: sql`${jobs.processed} + ${delta.processed}`,
      failed: sql`${jobs.failed} + ${delta.failed}`,
      updatedAt: now,
      ...bump,
    })
    .where(open(id));
}

export function succeedJob(db: Db, id: string, result: Record<string, unknown>, now: number) {
  return db
    .update(jobs)
    .set({ status: "succeeded", result, finishedAt: now, updatedAt: now, ...bump })
    .where(open(id));
}

export function failJob(db: Db, id: string, error: JobError, now: number) {
  return db
    .update(jobs)
    .set({ status: "failed", error, finishedAt: now, updatedAt: now, ...bump })
    .where(open(id));
}

/**
 * Back to no progress, for work that starts over from scratch (a report rebuilt after its builder
 * died mid-way), so counts from the lost attempt are not added to the new one's.
 */
export function resetJobProgress(db: Db, id: string, now: number) {
  return db
    .update(jobs)
    .set({ processed: 0, failed: 0, updatedAt: now, ...bump })
    .where(open(id));
}
