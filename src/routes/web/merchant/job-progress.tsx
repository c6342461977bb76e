import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { AppEnv } from "../../../platform/http/app-env";
import { pageSection } from "../../../platform/http/pages/section";
import type { JobResponse } from "../../jobs/jobs.schemas";
import { orThrow } from "../errors";
import { apiFor, signedIn } from "../session";
import { apiAsIs } from "./api-passthrough";

/** The job's stream for the page's script: /v1/jobs/{id}/stream with the merchant's session. */
export const liveJobPath = (id: string) => `/merchant/jobs/${encodeURIComponent(id)}/live`;

/** The styles of the imports' and reports' pages. */
export const JOBS_CSS = <link rel="stylesheet" href="/web/job.css" />;

/** What a job's page adds to the frame: the styles and the script that follows the job's stream. */
export const JOB_HEAD = (
  <>
    {JOBS_CSS}
    <script type="module" src="/web/job.js" />
  </>
);

/** One of the merchant's jobs, as GET /v1/jobs/{id} answers (404 for someone else's: an error page). */
export const readJob = async (c: Context<AppEnv>, id: string) =>
  orThrow(await apiFor(c)<JobResponse>(`/v1/jobs/${encodeURIComponent(id)}`));

export const isEnded = (job: JobResponse) => job.status === "succeeded" || job.status === "failed";

const number = new Intl.NumberFormat("en-US");

const STATUS: Record<JobResponse["status"], { word: string; tone: string }> = {
  queued: { word: "Waiting to start", tone: "info" },
  running: { word: "Running", tone: "info" },
  succeeded: { word: "Done", tone: "ok" },
  failed: { word: "Failed", tone: "danger" },
};

/** "1,234 of 5,000 rows": public/web/job.js writes the same words as the stream moves it on. */
function countText(job: JobResponse, unit: string): string {
  const { processed, total, failed } = job.progress;
  if (total === null) {
    if (job.status === "queued") return "Waiting for its turn";
    return job.status === "running" ? `Counting the ${unit}…` : `No ${unit} counted`;
  }
  const rejected = failed > 0 ? ` · ${number.format(failed)} rejected` : "";
  return `${number.format(processed)} of ${number.format(total)} ${unit}${rejected}`;
}

/**
 * A background job's state on its page, the same for imports and reports: status, a progress bar with
 * its count in words, and what the job came to (`children`, rendered by the page once it has ended).
 * Server-rendered, so it reads true without JavaScript (a Refresh link asks again); job.js follows the
 * job's stream, moves the bar in place and, at the end, swaps in the page's fresh box. The box keeps
 * its room (job.css) so nothing below it jumps; milestones, not ticks, are announced (role=status).
 */
export function JobProgress({
  job,
  noun,
  unit,
  page,
  children,
}: {
  job: JobResponse;
  /** What the job is, for announcements: "Import", "Report". */
  noun: string;
  /** What its progress counts: "rows". */
  unit: string;
  /** This page, for the Refresh link and for job.js to read the ended state from. */
  page: string;
  children?: Child;
}) {
  const { word, tone } = STATUS[job.status];
  const { processed, total } = job.progress;
  // A job that ended with nothing to count reads as a full bar, not an empty one.
  const max = total === null ? undefined : Math.max(total, 1);
  const value = total === null ? undefined : total === 0 && isEnded(job) ? 1 : processed;
  return (
    <>
      <section
        class="panel job-box"
        aria-labelledby="job-heading"
        data-job-live={isEnded(job) ? undefined : liveJobPath(job.id)}
        data-job-status={job.status}
        data-job-unit={unit}
        data-job-noun={noun}
      >
        <h2 id="job-heading">
          Progress <span class={`badge ${tone}`}>{word}</span>
        </h2>
        <progress id="job-bar" max={max} value={value} aria-describedby="job-count" />
        <p id="job-count" class="job-count">
          {countText(job, unit)}
        </p>
        {!isEnded(job) && (
          <p class="muted job-refresh">
            This page follows the {noun.toLowerCase()} as it runs. <a href={page}>Refresh</a>
          </p>
        )}
        <div class="job-outcome">
          {isEnded(job) ? (
            children
          ) : (
            <p class="muted">The result appears here when the {noun.toLowerCase()} has finished.</p>
          )}
        </div>
      </section>
      <p class="visually-hidden" role="status" data-job-milestone />
    </>
  );
}

/**
 * The job stream for a page's EventSource, which cannot send a bearer token: the API's answer to
 * /v1/jobs/{id}/stream as it is, called with the merchant's session (404 for someone else's job).
 */
export const jobsSection = pageSection(
  "Jobs",
  "/merchant/jobs",
  (r) =>
    r.get("/merchant/jobs/:id/live", signedIn("merchant"), (c) =>
      apiAsIs(c, `/v1/jobs/${encodeURIComponent(c.req.param("id"))}/stream`),
    ),
  { inNav: false },
);
