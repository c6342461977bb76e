/**
 * Settlement periods are UTC days, [start, end) in epoch ms. A period is closed once its end has
 * passed; a run at time t settles the previous UTC day by default.
 */
const DAY_MS = 86_400_000;

export interface Period {
  /** Epoch ms of 00:00:00.000 UTC. */
  start: number;
  /** start + one day, exclusive. */
  end: number;
}

/** The UTC day containing `t`. */
export function dayOf(t: number): Period {
  const start = Math.floor(t / DAY_MS) * DAY_MS;
  return { start, end: start + DAY_MS };
}

/** The closed period a run at `now` settles by default: yesterday, UTC. */
export const previousDay = (now: number): Period => dayOf(now - DAY_MS);

/**
 * The UTC day a `YYYY-MM-DD` string names, or null if it is not a real calendar date.
 *
 * @example
 * periodFromDate("2026-11-26"); // { start: Date.UTC(2026, 10, 26), end: Date.UTC(2026, 10, 27) }
 */
export function periodFromDate(date: string): Period | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const start = Date.UTC(y, m - 1, d);
  // Date.UTC rolls 2026-02-30 over to March: a date that does not round-trip does not exist.
  if (new Date(start).toISOString().slice(0, 10) !== date) return null;
  return { start, end: start + DAY_MS };
}

export const isClosed = (period: Period, now: number): boolean => period.end <= now;
