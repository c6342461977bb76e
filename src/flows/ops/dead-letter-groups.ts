import { asc, count, desc, max, min } from "drizzle-orm";
import type { Db } from "../../platform/db/client";
import { deadLetters } from "../../platform/events/schema";
import { type DeadLetterScope, waitingIn } from "./redrive";

/** Dead letters that failed in the same consumer with the same last error: usually one cause. */
export interface DeadLetterGroup {
  consumer: string;
  error: string;
  letters: number;
  /** When the group's oldest letter first failed. */
  oldest: number;
  /** When the group's latest failure was. */
  newest: number;
}

/**
 * The waiting dead letters of `scope` grouped by consumer and last error, largest groups first, at most
 * `limit` groups: counted by D1 (one GROUP BY over the `dead` rows), never by loading the letters.
 *
 * @example
 * const groups = await deadLetterGroups(db, { consumer: "email" }, 50);
 */
export async function deadLetterGroups(
  db: Db,
  scope: DeadLetterScope,
  limit: number,
): Promise<DeadLetterGroup[]> {
  const letters = count();
  const rows = await db
    .select({
      consumer: deadLetters.consumer,
      error: deadLetters.lastError,
      letters,
      oldest: min(deadLetters.firstFailedAt),
      newest: max(deadLetters.lastFailedAt),
    })
    .from(deadLetters)
    .where(waitingIn(scope))
    .groupBy(deadLetters.consumer, deadLetters.lastError)
    .orderBy(desc(letters), asc(deadLetters.consumer), asc(deadLetters.lastError))
    .limit(limit);
  return rows.map((r) => ({ ...r, oldest: r.oldest ?? 0, newest: r.newest ?? 0 }));
}
