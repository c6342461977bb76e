import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { NotFoundError } from "../../../platform/errors";
import type { AppEnv } from "../../../platform/http/app-env";
import { maxImportBytes, maxPageUploadBytes } from "../../../platform/http/guards";
import { pageSection } from "../../../platform/http/pages/section";
import type { JobResponse } from "../../jobs/jobs.schemas";
import { problemText } from "../errors";
import { apiFor, signedIn } from "../session";
import { apiAsIs } from "./api-passthrough";
import { isEnded, JOB_HEAD, JOBS_CSS, JobProgress, readJob } from "./job-progress";

const IMPORTS = "/merchant/imports";
const importPage = (id: string) => `${IMPORTS}/${encodeURIComponent(id)}`;

/** What a finished import's job result holds (src/flows/catalog-import/finish-import.ts). */
interface ImportResult {
  rows?: number;
  upserted?: number;
  rejected?: number;
  ignoredColumns?: string[];
}

const number = new Intl.NumberFormat("en-US");
const mebibytes = (bytes: number) => `${Math.floor(bytes / (1024 * 1024))} MiB`;

/** The columns POST /v1/catalog/imports reads (docs/API.md), in the words a merchant needs. */
const COLUMNS: [string, string][] = [
  ["sku", "Your code for the product; a known SKU updates that product, a new one adds it."],
  ["title", "The product's name."],
  ["description", "What it is."],
  ["category", "Where it is listed, e.g. lighting."],
  ["price", "In major units with at most 2 decimals, e.g. 19.99."],
  ["stock", "How many you have, a whole number."],
  ["currency", "Optional: ISO 4217, e.g. EUR (USD when left out)."],
];

/**
 * The media type the API is told: by the file's name first (browsers name .ndjson files nothing, or
 * application/octet-stream), then what the browser said. The API decides what it accepts (415).
 */
function mediaTypeOf(file: File): string {
  const name = file.name.toLowerCase();
  if (name.endsWith(".csv")) return "text/csv";
  if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) return "application/x-ndjson";
  return file.type || "application/octet-stream";
}

function UploadForm({ error, maxBytes }: { error?: string; maxBytes: number }) {
  return (
    <section class="panel" aria-labelledby="upload-heading">
      <h2 id="upload-heading">Upload a file</h2>
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
      <form method="post" action={IMPORTS} enctype="multipart/form-data" class="stack">
        <label for="file">Catalog file (CSV or NDJSON)</label>
        <input
          id="file"
          name="file"
          type="file"
          required
          accept=".csv,.ndjson,.jsonl,text/csv,application/x-ndjson"
          aria-describedby="file-hint"
        />
        <p id="file-hint" class="muted hint">
          Up to {mebibytes(maxBytes)} here; larger files through the API, POST /v1/catalog/imports.
        </p>
        <button type="submit" class="button primary">
          Upload and import
        </button>
      </form>
    </section>
  );
}

const FileHelp = () => (
  <section class="panel" aria-labelledby="columns-heading">
    <h2 id="columns-heading">What the file needs</h2>
    <p>
      CSV with a header line naming the columns, or NDJSON with one JSON object per line. Other columns are
      ignored, and named on the import's page. Bad rows are skipped and listed in a report you can download;
      the good rows are imported anyway. The same file uploaded twice is imported once.
    </p>
    <div class="table-scroll">
      <table>
        <caption>Columns</caption>
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">What it holds</th>
          </tr>
        </thead>
        <tbody>
          {COLUMNS.map(([name, what]) => (
            <tr>
              <th scope="row">
                <code>{name}</code>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    <p>
      Examples: <a href="/web/catalog-example.csv">catalog-example.csv</a> ·{" "}
      <a href="/web/catalog-example.ndjson">catalog-example.ndjson</a>
    </p>
  </section>
);

function renderImports(c: Context<AppEnv>, error?: string) {
  return c.render(
    <>
      <h1>Import products</h1>
      <div class="jobs-columns">
        <UploadForm error={error} maxBytes={maxPageUploadBytes(c.env)} />
        <section class="panel" aria-labelledby="recent-heading">
          <h2 id="recent-heading">Recent imports</h2>
          <p class="empty">
            The API cannot list imports yet, so this page cannot either. Each import has its own page: the
            upload takes you there, and its address stays valid.
          </p>
        </section>
      </div>
      <FileHelp />
    </>,
    { title: "Import products", section: IMPORTS, head: JOBS_CSS },
  );
}

function ImportOutcome({ job }: { job: JobResponse }) {
  if (job.status === "failed") {
    return (
      <>
        <p class="notice notice-error">
          The import failed: {job.error?.message ?? "no reason was recorded."} Fix the file and upload it
          again.
        </p>
        <p>
          <a class="button" href={IMPORTS}>
            Upload a file
          </a>
        </p>
      </>
    );
  }
  const result = (job.result ?? {}) as ImportResult;
  const rejected = result.rejected ?? job.progress.failed;
  const upserted = result.upserted ?? 0;
  return (
    <>
      <p class={`notice ${rejected > 0 ? "notice-warn" : "notice-ok"}`}>
        {number.format(upserted)} {upserted === 1 ? "product" : "products"} imported (added or updated)
        {rejected > 0 ? `; ${number.format(rejected)} ${rejected === 1 ? "row" : "rows"} rejected.` : "."}
      </p>
      {rejected > 0 && (
        <p class="job-actions">
          <a class="button" href={`${importPage(job.id)}/errors`} download>
            Download the rejected rows (CSV)
          </a>
          <span class="muted">each with its line in the file and the reason</span>
        </p>
      )}
      {(result.ignoredColumns?.length ?? 0) > 0 && (
        <p class="muted">Columns not imported: {result.ignoredColumns!.join(", ")}.</p>
      )}
      <p>
        <a href="/shop">See the catalog</a> · <a href={IMPORTS}>Import another file</a>
      </p>
    </>
  );
}

/**
 * Catalog imports for a merchant: the upload form (the file's bytes forwarded to POST
 * /v1/catalog/imports as the API takes them), each import's page with its job's live progress and
 * result, and its rejected rows (the API's CSV, passed through).
 */
export const importsSection = pageSection("Imports", IMPORTS, (r) =>
  r
    .get(IMPORTS, signedIn("merchant"), (c) => renderImports(c))
    .post(
      IMPORTS,
      signedIn("merchant"),
      // The app's body limit leaves this form to its page (guards.ts), so too large a file is the form
      // again; the bytes around the file (boundaries, part headers) get a little room of their own.
      (c, next) =>
        bodyLimit({
          maxSize: maxPageUploadBytes(c.env) + 16 * 1024,
          onError: (c) => {
            c.status(413);
            return renderImports(
              c,
              `That file is larger than ${mebibytes(maxPageUploadBytes(c.env))}: send it through the API (POST /v1/catalog/imports), which takes up to ${mebibytes(maxImportBytes(c.env))}.`,
            );
          },
        })(c, next),
      async (c) => {
        const form = await c.req.parseBody();
        const file = form.file;
        if (!(file instanceof File) || file.name === "") {
          c.status(400);
          return renderImports(c, "Choose a CSV or NDJSON file to upload.");
        }
        const answer = await apiFor(c)<JobResponse>("/v1/catalog/imports", {
          method: "POST",
          body: file,
          headers: { "content-type": mediaTypeOf(file) },
        });
        if (!answer.ok) {
          c.status(answer.status as 400);
          const what =
            answer.status === 415 ? "That file is not CSV or NDJSON (name it .csv or .ndjson). " : "";
          return renderImports(c, `${what}${problemText(answer.problem)}`);
        }
        return c.redirect(importPage(answer.body.id), 303);
      },
    )
    .get(`${IMPORTS}/:id`, signedIn("merchant"), async (c) => {
      const id = c.req.param("id");
      const job = await readJob(c, id);
      if (job.type !== "catalog_import") throw new NotFoundError("import", id);
      return c.render(
        <>
          <h1>Catalog import</h1>
          <p class="muted">
            <code>{job.id}</code> · uploaded {new Date(job.createdAt).toUTCString()}
          </p>
          <JobProgress job={job} noun="Import" unit="rows" page={importPage(job.id)}>
            {isEnded(job) && <ImportOutcome job={job} />}
          </JobProgress>
        </>,
        { title: "Catalog import", section: IMPORTS, head: JOB_HEAD },
      );
    })
    .get(`${IMPORTS}/:id/errors`, signedIn("merchant"), (c) =>
      apiAsIs(c, `/v1/catalog/imports/${encodeURIComponent(c.req.param("id"))}/errors`),
    ),
);
