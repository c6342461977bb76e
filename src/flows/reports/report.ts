/**
 * Reports: a CSV a merchant asks for over a range of UTC days, built in the background from read
 * models and stored in R2. The report's id is its job's id, so one id answers "how far along is it?"
 * (GET /v1/jobs/:id) and "give me the file" (GET /v1/reports/:id/download).
 */
import type { JobStatus } from "../../platform/jobs/job";

export const REPORT_TYPES = ["sales", "products", "settlements"] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

/** queued → building → ready | failed. Only `ready` has a file. */
export const REPORT_STATUSES = ["queued", "building", "ready", "failed"] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

const REPORT_STATUS_OF: Record<JobStatus, ReportStatus> = {
  queued: "queued",
  running: "building",
  succeeded: "ready",
  failed: "failed",
};

/**
 * A report's status: its job's, which is the only one stored, in the report's words.
 *
 * @example
 * reportStatusOf("succeeded"); // "ready"
 */
export const reportStatusOf = (job: JobStatus): ReportStatus => REPORT_STATUS_OF[job];

/** Longest range one report covers, in days (inclusive): a year, leap years included. */
export const MAX_REPORT_DAYS = 366;

const DAY_MS = 86_400_000;

/** An inclusive range of UTC days, and the half-open epoch-ms interval it covers. */
export interface ReportRange {
  from: string;
  to: string;
  /** Start of `from`, UTC, epoch ms. */
  fromMs: number;
  /** Start of the day after `to`, UTC, epoch ms (exclusive). */
  toMs: number;
}

/** Start of a `YYYY-MM-DD` UTC day in epoch ms, or null for anything that is not a real calendar day. */
export function utcDayStart(day: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC rolls 2026-02-30 over to March; a round trip catches it.
  return new Date(ms).toISOString().slice(0, 10) === day ? ms : null;
}

export type RangeProblem = { field: "from" | "to"; message: string };

/**
 * Checks a requested range: both real days, `from` not after `to`, at most MAX_REPORT_DAYS days.
 *
 * @example
 * reportRange("2026-01-01", "2026-01-31"); // { ok: true, range: { fromMs, toMs, … } }
 */
export function reportRange(
  from: string,
  to: string,
): { ok: true; range: ReportRange } | { ok: false; problem: RangeProblem } {
  const fromMs = utcDayStart(from);
  if (fromMs === null)
    return { ok: false, problem: { field: "from", message: "not a calendar day (YYYY-MM-DD)" } };
  const toStart = utcDayStart(to);
  if (toStart === null)
    return { ok: false, problem: { field: "to", message: "not a calendar day (YYYY-MM-DD)" } };
  if (toStart < fromMs) return { ok: false, problem: { field: "to", message: "must not be before 'from'" } };
  const days = (toStart - fromMs) / DAY_MS + 1;
  if (days > MAX_REPORT_DAYS) {
    return {
      ok: false,
      problem: { field: "to", message: `the range is ${days} days; at most ${MAX_REPORT_DAYS} per report` },
    };
  }
  return { ok: true, range: { from, to, fromMs, toMs: toStart + DAY_MS } };
}

/** Where a report's file lives in the FILES bucket: namespaced by flow, then by owner. */
export const reportObjectKey = (ownerId: string, id: string) => `reports/${ownerId}/${id}.csv`;

/** The file name a download is offered under. */
export const reportFileName = (r: { type: ReportType; from: string; to: string }) =>
  `${r.type}-${r.from}-${r.to}.csv`;

export const reportDownloadUrl = (id: string) => `/v1/reports/${id}/download`;
