/**
 * CQRS-light read models: tables written only by consumers from events, shaped for the queries that
 * read them. They may lag the write side by the queue's latency, never contradict it.
 */
import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Sign-ups per UTC day and role, fed by `user.registered` (consumer: user-stats). */
export const signupStatsDaily = sqliteTable(
  "signup_stats_daily",
  {
    day: text("day").notNull(),
    role: text("role").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.role] })],
);
