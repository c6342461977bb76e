import { getDb } from "../../../platform/db/client";
import { findJob } from "../../../platform/jobs/find-job";
import { JOB_STATUSES, JOB_TYPES, type JobStatus } from "../../../platform/jobs/job";
import { toJobResponse } from "../../jobs/jobs.schemas";
import { consoleSection } from "../section";
import { JobListQuery, jobsPage } from "./job-list";
import { Badge, Choice, Empty, filtersOf, Json, Pager, recordErrors, Time } from "./shared";

const HREF = "/console/jobs";

const TONES: Record<JobStatus, "ok" | "warn" | "danger" | undefined> = {
  queued: undefined,
  running: "warn",
  succeeded: "ok",
  failed: "danger",
};

const Status = ({ status }: { status: JobStatus }) => <Badge tone={TONES[status]}>{status}</Badge>;

const progressText = (p: { processed: number; total: number | null; failed: number }) =>
  `${p.processed} of ${p.total ?? "?"} done, ${p.failed} failed`;

const jobHref = (id: string) => `${HREF}/${encodeURIComponent(id)}`;

/** Long work (catalog imports, reports) of every account: the job resource as operators see it. */
export const jobsSection = consoleSection("Jobs", HREF, (r) =>
  r
    .onError(recordErrors(HREF))
    .get(HREF, async (c) => {
      const filters = filtersOf(JobListQuery, c.req.query());
      const page = await jobsPage(c.env, filters);
      return c.render(
        <>
          <h1>Jobs</h1>
          <p class="muted">Catalog imports and reports of every account, newest first.</p>
          <form method="get" action={HREF} class="inline-form" aria-label="Filter jobs">
            <Choice
              id="jobs-status"
              name="status"
              label="Status"
              options={JOB_STATUSES}
              value={filters.status}
            />
            <Choice id="jobs-type" name="type" label="Type" options={JOB_TYPES} value={filters.type} />
            <label for="jobs-owner">Owner id</label>
            <input id="jobs-owner" name="owner" maxlength={128} value={filters.owner} />
            <button type="submit">Show</button>
          </form>
          <div class="table-scroll">
            <table>
              <caption>Jobs, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Job</th>
                  <th scope="col">Type</th>
                  <th scope="col">Status</th>
                  <th scope="col">Progress</th>
                  <th scope="col">Owner</th>
                  <th scope="col">Created</th>
                  <th scope="col">Finished</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((j) => (
                  <tr key={j.id}>
                    <td>
                      <a href={jobHref(j.id)}>
                        <code>{j.id}</code>
                      </a>
                    </td>
                    <td>{j.type}</td>
                    <td>
                      <Status status={j.status} />
                    </td>
                    <td>{progressText(j.progress)}</td>
                    <td>
                      <code>{j.ownerId}</code>
                    </td>
                    <td>
                      <Time at={j.createdAt} />
                    </td>
                    <td>
                      <Time at={j.finishedAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {page.items.length === 0 && <Empty what="jobs" />}
          <Pager path={HREF} filters={filters} cursor={filters.cursor} nextCursor={page.nextCursor} />
        </>,
        { title: "Jobs", section: HREF },
      );
    })
    .get(`${HREF}/:id`, async (c) => {
      const row = await findJob(getDb(c.env.DB), c.req.param("id"), null);
      const job = toJobResponse(row);
      const { processed, total } = job.progress;
      return c.render(
        <>
          <h1>
            Job <code>{job.id}</code>
          </h1>
          <dl>
            <dt>Type and status</dt>
            <dd>
              {job.type} <Status status={job.status} />
            </dd>
            <dt>Owner</dt>
            <dd>
              <code>{row.ownerId}</code>
            </dd>
            <dt>Progress</dt>
            <dd>
              {total !== null && (
                <progress aria-label="Progress" value={processed} max={Math.max(total, 1)} />
              )}{" "}
              {progressText(job.progress)}
            </dd>
            <dt>Created, started, finished</dt>
            <dd>
              <Time at={job.createdAt} />, <Time at={job.startedAt} />, <Time at={job.finishedAt} />
            </dd>
          </dl>
          {job.error && (
            <section aria-labelledby="job-error">
              <h2 id="job-error">Why it failed</h2>
              <p class="error">
                <code>{job.error.code}</code>: {job.error.message}
              </p>
            </section>
          )}
          {job.result && (
            <section aria-labelledby="job-result">
              <h2 id="job-result">Result</h2>
              <Json value={job.result} />
            </section>
          )}
        </>,
        { title: `Job ${job.id}`, section: HREF },
      );
    }),
);
