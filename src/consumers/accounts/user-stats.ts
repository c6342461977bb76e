import { sql } from "drizzle-orm";
import { signupStatsDaily } from "../../flows/accounts/schema";
import type { D1Consumer } from "../../platform/events/consumer";

/** The UTC calendar day (YYYY-MM-DD) of an ISO timestamp. */
export const utcDay = (iso: string): string => new Date(iso).toISOString().slice(0, 10);

/**
 * Keeps `signup_stats_daily` (sign-ups per UTC day of the event and role). Its statements commit in
 * one batch with the runtime's processed_events row, so a redelivered event finds that row and never
 * counts twice.
 */
export const userStatsConsumer = {
  name: "user-stats",
  effect: "d1",
  handle(event, { db }) {
    switch (event.type) {
      case "user.registered":
        return [
          db
            .insert(signupStatsDaily)
            .values({ day: utcDay(event.time), role: event.data.role, count: 1 })
            .onConflictDoUpdate({
              target: [signupStatsDaily.day, signupStatsDaily.role],
              set: { count: sql`${signupStatsDaily.count} + 1` },
            }),
        ];
      default: {
        const unhandled: never = event.type;
        throw new Error(`user-stats: unexpected event type ${String(unhandled)}`);
      }
    }
  },
} satisfies D1Consumer<"user.registered">;
