import { ANALYTICS_LIMITS, type ClientEventType, type QueuedClientEvent } from "./client-event";

const DAY_MS = 86_400_000;

/** The UTC calendar day (YYYY-MM-DD) of an instant. */
export const utcDay = (at: number | string): string =>
  new Date(typeof at === "string" ? Date.parse(at) : at).toISOString().slice(0, 10);

/**
 * How long an event's dedup id is kept, in days after its day: its maximum age at ingestion plus two
 * days for time spent in the queue (retries with backoff). The consumer never counts an event older
 * than this, so a duplicate can never arrive after the id that would have caught it was pruned.
 */
export const DEDUP_RETENTION_DAYS = ANALYTICS_LIMITS.maxAgeMs / DAY_MS + 2;

/** The oldest day still counted, and kept in the dedup table, at `now`. */
export const dedupHorizonDay = (now: number): string => utcDay(now - DEDUP_RETENTION_DAYS * DAY_MS);

/**
 * Search queries are counted by their normalised text: case-folded, trimmed, inner whitespace
 * collapsed, so "Red  Shoes " and "red shoes" are one query.
 */
export const normalizeQuery = (q: string): string =>
  q.normalize("NFKC").toLowerCase().normalize("NFKC").trim().replace(/\s+/g, " ");

/** One event as the aggregator stores and counts it (a row of the dedup table). */
export interface MetricRow {
  eventId: string;
  day: string;
  type: ClientEventType;
  productId: string | null;
  query: string | null;
}

/**
 * The rows to count for a message's events, and the events too old to count (beyond the dedup
 * horizon: they could no longer be deduplicated, so counting them could count twice).
 */
export function metricRows(
  events: readonly QueuedClientEvent[],
  now: number,
): { rows: MetricRow[]; late: string[] } {
  const horizon = dedupHorizonDay(now);
  const rows: MetricRow[] = [];
  const late: string[] = [];
  for (const e of events) {
    const day = utcDay(e.occurredAt);
    if (day < horizon) {
      late.push(e.id);
      continue;
    }
    rows.push({
      eventId: e.id,
      day,
      type: e.type,
      productId: e.productId ?? null,
      query: e.type === "search.performed" && e.query ? normalizeQuery(e.query) : null,
    });
  }
  return { rows, late };
}

/** Every day from `from` to `to` inclusive (YYYY-MM-DD), in order. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) {
    days.push(utcDay(t));
  }
  return days;
}
