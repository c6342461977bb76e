import type { Hono } from "hono";
import {
  isFinished,
  REDRIVE_RUN_COMMANDS,
  type RedriveRun,
  type RedriveRunCommand,
} from "../../flows/ops/redrive-runs";
import { ValidationError } from "../../platform/errors";
import type { AppEnv } from "../../platform/http/app-env";
import { eventStream, followVersions, lastSeenVersion } from "../../platform/http/event-stream";
import { fieldErrors } from "../../platform/http/validation";
import { errorFields } from "../../platform/observability/logger";
import { JOB_POLL_MS, KEEP_ALIVE_MS, MAX_STREAM_MS } from "../jobs/job-stream";
import { commandRedriveRun, findRedriveRun, startRedriveRun } from "../ops/redrive-runs.handlers";
import { RedriveRunRequest } from "../ops/redrive-runs.routes";
import { act, Notice, pageHref, Short, When } from "./dead-letters.parts";
import { consoleAction } from "./session";

const BASE = "/console/dead-letters";
const runPath = (id: string) => `${BASE}/runs/${id}`;

/** What the forms offer before the operator chooses: gentle enough for a consumer just back. */
export const DEFAULT_BATCH = 10;
export const DEFAULT_RATE = 5;

const LABELS: Record<RedriveRunCommand, string> = { pause: "Pause", resume: "Resume", cancel: "Cancel run" };
/** The states in which each command is allowed (the page's script enables its button in those). */
const ALLOWED_IN: Record<RedriveRunCommand, string> = {
  pause: "running",
  resume: "paused",
  cancel: "running paused",
};

const stamp = (ms: number | null) => (ms === null ? "—" : `${new Date(ms).toISOString().slice(11, 19)} UTC`);

/** The live figures: the keys are the page's `data-field`s, sent as SSE `figures` events. */
const figuresOf = (run: RedriveRun) => ({
  state: run.state,
  total: run.total,
  redriven: run.redriven,
  failed: run.failed,
  remaining: run.remaining,
  nextBatch: stamp(run.nextBatchAt),
  lastError: run.lastError ?? "none",
});

const FIGURES = [
  ["state", "State"],
  ["total", "Total"],
  ["redriven", "Redriven"],
  ["failed", "Failed"],
  ["remaining", "Remaining"],
] as const;

/** The run's scope in words: "the dead letters of consumer email with error “…”". */
function scopeText({ scope }: RedriveRun): string {
  const narrowing = [
    scope.consumer && `of consumer ${scope.consumer}`,
    scope.queue && `from queue ${scope.queue}`,
    scope.type && `of type ${scope.type}`,
    scope.error && `with error “${scope.error}”`,
  ].filter(Boolean);
  if (scope.ids) narrowing.push(`among ${scope.ids.length} chosen`);
  return narrowing.length === 0 ? "every dead letter" : `the dead letters ${narrowing.join(", ")}`;
}

/** The form's fields as the API's body: numbers from their text, empty fields left out. */
function runRequestOf(form: Record<string, unknown>) {
  const text = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);
  const id = text(form.id);
  const parsed = RedriveRunRequest.safeParse({
    consumer: text(form.consumer),
    error: text(form.error),
    ids: id === undefined ? undefined : [id],
    batchSize: Number(text(form.batchSize) ?? Number.NaN),
    ratePerSecond: Number(text(form.ratePerSecond) ?? Number.NaN),
  });
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error, "body"));
  return parsed.data;
}

/**
 * Redrive runs in the console: start one from a filter or a group (`dead-letters.redrive-run`, the
 * API's function), follow it live (SSE `figures` for console.js's data-live binding), pause, resume or
 * cancel it (`dead-letters.redrive-run.<command>`, as the /ops routes).
 */
export const deadLetterRunRoutes = (r: Hono<AppEnv>): Hono<AppEnv> => {
  r.post(`${BASE}/redrive-runs`, consoleAction("dead-letters.redrive-run"), async (c) => {
    const form = await c.req.parseBody();
    const input = runRequestOf(form);
    return act(c, pageHref(BASE, { consumer: input.consumer, error: input.error }), async () => {
      const run = await startRedriveRun(c, input);
      const letters = run.total === 1 ? "1 dead letter" : `${run.total} dead letters`;
      return { to: runPath(run.id), done: `Run started: ${letters}.` };
    });
  });
  r.get(`${BASE}/runs/:id`, async (c) => {
    const run = await findRedriveRun(c.env, c.req.param("id"));
    const figures = figuresOf(run);
    return c.render(
      <>
        <h1>
          Redrive run <code>{run.id}</code>
        </h1>
        <Notice c={c} />
        <p>
          Redrives {scopeText(run)}, {run.batchSize} per batch at {run.ratePerSecond} per second. Started by{" "}
          {run.startedBy} at <When ms={run.createdAt} />.
        </p>
        <div data-live={`${runPath(run.id)}/live`}>
          <ul class="figures" aria-label="Progress">
            {FIGURES.map(([key, label]) => (
              <li>
                {label}
                <span class="figure" data-field={key}>
                  {figures[key]}
                </span>
              </li>
            ))}
          </ul>
          <p>
            Next batch: <span data-field="nextBatch">{figures.nextBatch}</span>. Last batch error:{" "}
            <span data-field="lastError">{figures.lastError}</span>.
          </p>
          <div class="inline-form">
            {REDRIVE_RUN_COMMANDS.map((command) => (
              <form method="post" action={`${runPath(run.id)}/${command}`} class="inline-form">
                <button
                  type="submit"
                  class={command === "cancel" ? "danger" : "secondary"}
                  data-allowed-in={ALLOWED_IN[command]}
                  disabled={!ALLOWED_IN[command].split(" ").includes(run.state)}
                >
                  {LABELS[command]}
                </button>
              </form>
            ))}
          </div>
        </div>
        {run.failures.length === 0 ? (
          <p class="muted">No dead letter failed to redrive when this page was loaded.</p>
        ) : (
          <div class="table-scroll">
            <table>
              <caption>Latest failures (they stay dead), as of this page's load</caption>
              <thead>
                <tr>
                  <th scope="col">Dead letter</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {run.failures.map((f) => (
                  <tr>
                    <td>
                      <a href={`${BASE}/${f.id}`}>{f.id}</a>
                    </td>
                    <td>
                      <Short text={f.reason} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p>
          <a href={BASE}>Back to the dead letters</a>
        </p>
      </>,
      {
        title: `Redrive run ${run.id}`,
        section: BASE,
        head: <script type="module" src="/console/dead-letters.js" />,
      },
    );
  });
  r.get(`${BASE}/runs/:id/live`, async (c) => {
    const first = await findRedriveRun(c.env, c.req.param("id"));
    const seen = lastSeenVersion(c.req.header("last-event-id"));
    return eventStream(c, isFinished(first) && first.version <= seen, (stream) =>
      followVersions(stream, {
        first,
        lastSeenVersion: seen,
        read: () => findRedriveRun(c.env, first.id),
        event: "figures",
        data: figuresOf,
        ended: isFinished,
        clock: c.var.clock,
        pollMs: JOB_POLL_MS,
        keepAliveMs: KEEP_ALIVE_MS,
        maxMs: MAX_STREAM_MS,
      }).catch((err: unknown) =>
        c.get("log").error("redrive-run-stream.failed", { runId: first.id, ...errorFields(err) }),
      ),
    );
  });
  for (const command of REDRIVE_RUN_COMMANDS) {
    r.post(`${BASE}/runs/:id/${command}`, consoleAction(`dead-letters.redrive-run.${command}`), (c) => {
      const id = c.req.param("id");
      return act(c, runPath(id), async () => {
        const run = await commandRedriveRun(c, id, command);
        return `The run is ${run.state}.`;
      });
    });
  }
  return r;
};
