/**
 * One model for all long work (catalog imports, reports): a job is queued when the request is
 * accepted, running once a consumer picks it up, and ends succeeded or failed. Progress counts rows
 * (or units) processed and failed out of a total that is known once the work has been planned.
 */
export const JOB_TYPES = ["catalog_import", "report"] as const;
export type JobType = (typeof JOB_TYPES)[number];

export const JOB_STATUSES = ["queued", "running", "succeeded", "failed"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ["succeeded", "failed"];

export const isTerminalJobStatus = (status: JobStatus): boolean => TERMINAL_JOB_STATUSES.includes(status);

export interface JobProgress {
  processed: number;
  /** Null until the work has been planned (e.g. an upload not yet split into chunks). */
  total: number | null;
  failed: number;
}

/** Why a job failed, for its owner: a stable code to switch on and a sentence to show. */
export interface JobError {
  code: string;
  message: string;
}
