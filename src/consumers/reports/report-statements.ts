import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { reports } from "../../db/schema-reports";

/**
 * The report row's writes after creation, for the consumer's batches. Each is conditional on the
 * report not having ended, so a late or repeated attempt cannot reopen, re-fail or re-finish it.
 */
const open = (id: string) => and(eq(reports.id, id), inArray(reports.status, ["queued", "building"]));

export const markBuilding = (db: Db, id: string, now: number) =>
  db.update(reports).set({ status: "building", updatedAt: now }).where(open(id));

export const markReady = (db: Db, id: string, size: { rows: number; bytes: number }, now: number) =>
  db
    .update(reports)
    .set({ status: "ready", rows: size.rows, bytes: size.bytes, readyAt: now, updatedAt: now })
    .where(open(id));

export const markFailed = (db: Db, id: string, now: number) =>
  db.update(reports).set({ status: "failed", updatedAt: now }).where(open(id));
