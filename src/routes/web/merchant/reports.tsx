import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../../platform/http/app-env";
import { pageSection } from "../../../platform/http/pages/section";
import type { JobResponse } from "../../jobs/jobs.schemas";
import type { CreateReportRequestSchema, ReportSchema } from "../../reports/reports.schemas";
import { orThrow, problemText } from "../errors";
import { apiFor, signedIn } from "../session";
import { apiAsIs } from "./api-passthrough";
import { isEnded, JOB_HEAD, JOBS_CSS, JobProgress, readJob } from "./job-progress";

type ReportRequest = z.input<typeof CreateReportRequestSchema>;
type Report = z.infer<typeof ReportSchema>;

const REPORTS = "/merchant/reports";
const reportPage = (id: string) => `${REPORTS}/${encodeURIComponent(id)}`;

/** The kinds POST /v1/reports builds, as a merchant would choose among them. */
const KINDS: { type: ReportRequest["type"]; label: string; hint: string }[] = [
  { type: "sales", label: "Sales", hint: "every line of your confirmed orders, refunds marked" },
  { type: "products", label: "Products", hint: "your catalog as it stands" },
  { type: "settlements", label: "Settlements", hint: "what was paid out to you, and when" },
];

const number = new Intl.NumberFormat("en-US");
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const kibibytes = (bytes: number) =>
  bytes < 1024 ? `${bytes} bytes` : `${number.format(Math.ceil(bytes / 1024))} KiB`;

type Values = { type: string; from: string; to: string };

function ReportForm({ error, values }: { error?: string; values: Values }) {
  return (
    <section class="panel" aria-labelledby="request-heading">
      <h2 id="request-heading">Request a report</h2>
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
      <form method="post" action={REPORTS} class="stack">
        {/* One key per form shown: a second click or a resent form gets the first report, not another. */}
        <input type="hidden" name="key" value={crypto.randomUUID()} />
        <fieldset class="report-kinds">
          <legend>Report</legend>
          {KINDS.map((k) => (
            <label class="choice">
              <input type="radio" name="type" value={k.type} checked={values.type === k.type} /> {k.label}{" "}
              <span class="muted">({k.hint})</span>
            </label>
          ))}
        </fieldset>
        <div class="date-range">
          <div class="stack">
            <label for="from">From (UTC day)</label>
            <input id="from" name="from" type="date" required value={values.from} />
          </div>
          <div class="stack">
            <label for="to">To (inclusive)</label>
            <input id="to" name="to" type="date" required value={values.to} aria-describedby="range-hint" />
          </div>
        </div>
        <p id="range-hint" class="muted hint">
          At most a year. It is built in the background; you can leave the page and you are emailed when it is
          ready.
        </p>
        <button type="submit" class="button primary">
          Request the report
        </button>
      </form>
    </section>
  );
}

function renderReports(c: Context<AppEnv>, values?: Values, error?: string) {
  const today = c.var.clock.now();
  const shown = values ?? { type: "sales", from: day(today - 29 * 86_400_000), to: day(today) };
  return c.render(
    <>
      <h1>Reports</h1>
      <div class="jobs-columns">
        <ReportForm error={error} values={shown} />
        <section class="panel" aria-labelledby="recent-heading">
          <h2 id="recent-heading">Recent reports</h2>
          <p class="empty">
            The API cannot list reports yet, so this page cannot either. Each report has its own page: the
            request takes you there, and the email that says it is ready links to it.
          </p>
        </section>
      </div>
    </>,
    { title: "Reports", section: REPORTS, head: JOBS_CSS },
  );
}

function ReportOutcome({ job, report }: { job: JobResponse; report: Report }) {
  if (job.status === "failed") {
    return (
      <>
        <p class="notice notice-error">
          The report could not be built: {job.error?.message ?? "no reason was recorded."}
        </p>
        <p>
          <a class="button" href={REPORTS}>
            Request it again
          </a>
        </p>
      </>
    );
  }
  const rows = report.rows ?? job.progress.processed;
  return (
    <>
      <p class="notice notice-ok">
        Ready: {number.format(rows)} {rows === 1 ? "row" : "rows"}
        {report.bytes === null ? "" : `, ${kibibytes(report.bytes)}`}.
      </p>
      <p class="job-actions">
        <a class="button primary" href={`${reportPage(report.id)}/download`} download>
          Download the CSV
        </a>
        <a href={REPORTS}>Request another</a>
      </p>
    </>
  );
}

const field = (form: Record<string, unknown>, name: string) =>
  typeof form[name] === "string" ? (form[name] as string) : "";

/**
 * Reports for a merchant: the request form (POST /v1/reports with the form's idempotency key), each
 * report's page with its job's live progress, and the ready file (the API's download, passed through).
 */
export const reportsSection = pageSection("Reports", REPORTS, (r) =>
  r
    .get(REPORTS, signedIn("merchant"), (c) => renderReports(c))
    .post(REPORTS, signedIn("merchant"), async (c) => {
      const form = await c.req.parseBody();
      const values = { type: field(form, "type"), from: field(form, "from"), to: field(form, "to") };
      const key = field(form, "key");
      const answer = await apiFor(c)<JobResponse>("/v1/reports", {
        json: values satisfies Record<keyof ReportRequest, string>,
        headers: key ? { "idempotency-key": key } : {},
      });
      if (!answer.ok) {
        c.status(answer.status as 400);
        return renderReports(c, values, problemText(answer.problem));
      }
      return c.redirect(reportPage(answer.body.id), 303);
    })
    .get(`${REPORTS}/:id`, signedIn("merchant"), async (c) => {
      const id = c.req.param("id");
      // The job first: a report read after it is at least as far along, so a done job has its file's size.
      const job = await readJob(c, id);
      const report = orThrow(await apiFor(c)<Report>(`/v1/reports/${encodeURIComponent(id)}`));
      const kind = KINDS.find((k) => k.type === report.type)?.label ?? report.type;
      return c.render(
        <>
          <h1>{kind} report</h1>
          <p class="muted">
            {report.from} to {report.to} (UTC days) · requested {new Date(report.createdAt).toUTCString()}
          </p>
          <JobProgress job={job} noun="Report" unit="rows" page={reportPage(id)}>
            {isEnded(job) && <ReportOutcome job={job} report={report} />}
          </JobProgress>
        </>,
        { title: `${kind} report`, section: REPORTS, head: JOB_HEAD },
      );
    })
    .get(`${REPORTS}/:id/download`, signedIn("merchant"), (c) =>
      apiAsIs(c, `/v1/reports/${encodeURIComponent(c.req.param("id"))}/download`),
    ),
);
