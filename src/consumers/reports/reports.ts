import { CONSUMERS } from "../../flows";
import { csvLine } from "../../flows/reports/csv";
import { findReport } from "../../flows/reports/queries";
import { type ReportRange, reportDownloadUrl, reportRange } from "../../flows/reports/report";
import type { ConsumerContext, ExternalConsumer } from "../../platform/events/consumer";
import { causedByEvent, newEvent } from "../../platform/events/new-event";
import { outboxStatements } from "../../platform/events/outbox";
import { publishNow } from "../../platform/events/publish";
import type { CurrentEvent } from "../../platform/events/upcast";
import { MultipartWriter } from "../../platform/files/multipart-writer";
import type { JobError } from "../../platform/jobs/job";
import {
  addJobProgress,
  failJob,
  resetJobProgress,
  setJobTotal,
  startJob,
  succeedJob,
} from "../../platform/jobs/job-statements";
import { errorFields } from "../../platform/observability/logger";
import { yieldToEventLoop } from "../../platform/yield-to-event-loop";
import { REPORT_BUILDERS } from "./builders";
import { markReady } from "./report-statements";

type Requested = CurrentEvent<"report.requested">;

/** Rows read per query and written per progress update. */
export const REPORT_PAGE_ROWS = 2_000;
/** The reports queue's last attempt (its maxRetries plus the first): that one fails the job. */
export const REPORT_MAX_ATTEMPTS = CONSUMERS.reports.delivery.maxRetries + 1;
const CONTENT_TYPE = "text/csv; charset=utf-8";

/** A failure retrying cannot fix: the job fails at once, with a code and a sentence for its owner. */
class PermanentReportError extends Error {
  constructor(readonly jobError: JobError) {
    super(jobError.message);
  }
}

function permanent(err: unknown): JobError | null {
  if (err instanceof PermanentReportError) return err.jobError;
  // The report's source table is missing (a deployment whose D1 migrations have not been applied):
  // retrying cannot fix it, so the owner hears at once.
  if (/no such table/i.test(String((err as Error)?.message ?? err))) {
    return { code: "report-source-unavailable", message: "This report type is not available yet." };
  }
  return null;
}

function rangeOf(event: Requested): ReportRange {
  const r = reportRange(event.data.from, event.data.to);
  if (!r.ok) {
    throw new PermanentReportError({
      code: "report-invalid-range",
      message: `Invalid range: ${r.problem.message}.`,
    });
  }
  return r.range;
}

/** Streams the CSV to R2, page by page, with the job's progress committed after each page. */
async function build(event: Requested, objectKey: string, ctx: ConsumerContext) {
  const { db, env } = ctx;
  const { reportId: id, ownerId, type } = event.data;
  const range = rangeOf(event);
  const builder = REPORT_BUILDERS[type];
  const query = { ownerId, fromMs: range.fromMs, toMs: range.toMs };
  const total = await builder.count(db, query);
  const now = Date.now();
  // A rebuild (the previous attempt died mid-way) starts its counts over: the file is rewritten whole.
  await db.batch([startJob(db, id, now), resetJobProgress(db, id, now), setJobTotal(db, id, total, now)]);
  const out = await MultipartWriter.open(env.FILES, objectKey, { contentType: CONTENT_TYPE });
  try {
    await out.write(csvLine(builder.header));
    let rows = 0;
    for await (const page of builder.pages(db, query, REPORT_PAGE_ROWS)) {
      await out.write(page.map(csvLine).join(""));
      rows += page.length;
      await addJobProgress(db, id, { processed: page.length, failed: 0 }, Date.now()).run();
      // So a client following the job (GET /v1/jobs/:id, its stream) is answered between pages.
      await yieldToEventLoop();
    }
    const { bytes } = await out.finish();
    return { rows, bytes };
  } catch (err) {
    await out.abort();
    throw err;
  }
}

/**
 * Builds each requested report: reads its read model in keyset pages, streams the CSV into R2 through
 * a multipart upload (`reports/<owner>/<id>.csv`), then in one batch marks the report ready, succeeds
 * the job and records `report.generated` (which the email consumer turns into "your report is ready").
 *
 * An ExternalConsumer, not a D1Consumer: the effect is an R2 object written over many statements and
 * minutes, not one D1 batch. The runtime's lease keeps two deliveries from building at once, and the
 * job is the record of completion: a redelivery of a report already ready (or failed) does nothing, so
 * it is never rebuilt or emailed twice, even if the dedup store missed the first success. A redelivery
 * after a crash mid-build finds it `building` (its job running) and rebuilds from scratch under the
 * same key.
 */
export const reportsConsumer = {
  name: "reports",
  effect: "external",
  // Renewed every 10 s while the build runs, however long it takes (a Queues consumer may run 15
  // minutes), so a build that died blocks the rebuild for at most 30 s.
  leaseMs: 30_000,
  async handle(event, ctx) {
    const { db, env, log } = ctx;
    const id = event.data.reportId;
    const report = await findReport(db, id);
    // The row commits with the fact, so it exists; if not, something is badly wrong: retry, loudly.
    if (!report) throw new Error(`reports: no report ${id}`);
    if (report.status === "ready" || report.status === "failed") {
      log.info("report.already-finished", { reportId: id, status: report.status });
      return;
    }
    try {
      const size = await build(event, report.objectKey, ctx);
      const now = Date.now();
      const downloadUrl = reportDownloadUrl(id);
      const { ownerId, type, from, to } = event.data;
      const generated = newEvent(
        "report.generated",
        id,
        { reportId: id, ownerId, type, from, to, ...size, downloadUrl },
        causedByEvent(event),
        "/crossdock/consumers/reports",
        now,
      );
      await db.batch([
        markReady(db, id, size, now),
        // The total counted at the start may have moved while the build ran; the file's count is the truth.
        setJobTotal(db, id, size.rows, now),
        succeedJob(db, id, { downloadUrl, ...size, type, from, to }, now),
        ...outboxStatements(db, [generated], undefined, now),
      ]);
      log.info("report.generated", { reportId: id, type, ...size });
      await publishNow(env, [generated], log);
    } catch (err) {
      const reason = permanent(err);
      if (reason === null && ctx.attempt < REPORT_MAX_ATTEMPTS) throw err;
      // Out of attempts, or hopeless: end the job so its owner is told, instead of a job running forever.
      const jobError = reason ?? {
        code: "report-build-failed",
        message: "The report could not be built; request it again.",
      };
      const now = Date.now();
      await failJob(db, id, jobError, now).run();
      log.error("report.failed", {
        reportId: id,
        code: jobError.code,
        attempt: ctx.attempt,
        ...errorFields(err),
      });
    }
  },
} satisfies ExternalConsumer<"report.requested">;
