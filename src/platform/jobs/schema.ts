/**
 * Jobs: the status resource behind every 202 for long work (GET /v1/jobs/:id). Written by the route
 * that accepts the work (in the same batch as the fact that starts it) and by the consumers that do it
 * (in the same batch as each unit of work, so progress never runs ahead of what is committed).
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { JOB_STATUSES, JOB_TYPES, type JobError } from "./job";

export const jobs = sqliteTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    ownerId: text("owner_id").notNull(),
    type: text("type", { enum: JOB_TYPES }).notNull(),
    status: text("status", { enum: JOB_STATUSES }).notNull(),
    processed: integer("processed").notNull().default(0),
    total: integer("total"),
    failed: integer("failed").notNull().default(0),
    /** Type-specific outcome (e.g. an import's counts and error-report URL), set when it succeeds. */
    result: text("result", { mode: "json" }).$type<Record<string, unknown>>(),
    error: text("error", { mode: "json" }).$type<JobError>(),
    /** +1 on every change: the stream's event id, so a client hears each state once. */
    version: integer("version").notNull().default(1),
    createdAt: integer("created_at").notNull(),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("jobs_owner_idx").on(t.ownerId, t.createdAt)],
);

export type JobRow = typeof jobs.$inferSelect;
