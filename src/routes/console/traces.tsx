import { readTrace, type Trace, type TraceEntry } from "../../flows/ops/trace";
import { getDb } from "../../platform/db/client";
import { Badge, IdLink, ORDER_PAGES_CSS, Scroll, took, When } from "./display";
import { consoleSection } from "./section";

const TRACES = "/console/traces";

/** Rows drawn at most: a synthetic backlog's trace holds thousands of facts, the JSON route has them all. */
const MAX_ROWS = 500;

/** Where a bar starts and how wide it is, as percentages of the trace's span. */
interface Bar {
  /** Waiting before the work started: an event's time in the outbox, an attempt's lag. */
  wait: number;
  offset: number;
  width: number;
}

/** When each entry's work ends: an event once published, an attempt once handled. */
function endOf(e: TraceEntry): number {
  if (e.kind === "event") return e.publishedAt ?? e.at;
  if (e.kind === "attempt") return e.at + e.durationMs;
  return e.at;
}

/** When an entry's wait began: an attempt's fact was sent at its start minus its lag. */
const waitFrom = (e: TraceEntry): number => (e.kind === "attempt" ? e.at - e.lagMs : e.at);

/**
 * The waterfall's geometry: the trace runs from its first entry (or the earliest wait) to the last
 * piece of work done; each entry's bar is placed on that span. A bar is at least visible (0.5 %): an
 * event's is the moment it was published, a request's the moment it was recorded.
 */
function barsOf(trace: Trace): { start: number; span: number; bars: Bar[] } {
  const start = Math.min(...trace.timeline.map(waitFrom));
  const end = Math.max(...trace.timeline.map(endOf));
  const span = Math.max(end - start, 1);
  const pct = (ms: number) => Math.round((ms / span) * 10_000) / 100;
  const bars = trace.timeline.map((e) => {
    // An event waits in the outbox until published; an attempt waits its lag, then works its duration.
    const workFrom = e.kind === "event" ? endOf(e) : e.at;
    return {
      wait: pct(workFrom - waitFrom(e)),
      offset: pct(waitFrom(e) - start),
      width: Math.max(pct(endOf(e) - workFrom), 0.5),
    };
  });
  return { start, span, bars };
}

const BarCell = ({ bar }: { bar: Bar }) => (
  // The figures are in the row's cells; the bar only draws them.
  <td class="waterfall-cell" aria-hidden="true">
    <div class="waterfall-track">
      <span class="waterfall-wait" style={`left:${bar.offset}%;width:${bar.wait}%`} />
      <span class="waterfall-bar" style={`left:${bar.offset + bar.wait}%;width:${bar.width}%`} />
    </div>
  </td>
);

function What({ e }: { e: TraceEntry }) {
  switch (e.kind) {
    case "request":
      return (
        <>
          Request <code>{`${e.method} ${e.path}`}</code>
        </>
      );
    case "event":
      return (
        <>
          Fact <strong>{e.type}</strong> <IdLink base="/console/events" id={e.id} />
          {e.publishedAt === null && (
            <>
              {" "}
              <Badge status="pending">in the outbox</Badge>
            </>
          )}
        </>
      );
    case "attempt":
      return (
        <>
          <strong>{e.consumer}</strong> handles {e.eventType}, attempt {e.attempt}{" "}
          <Badge status={e.outcome} />
          {e.deadLetterId && (
            <>
              {" "}
              <a href={`/console/dead-letters/${encodeURIComponent(e.deadLetterId)}`}>dead letter</a>
            </>
          )}
          {e.error && <div class="muted">{e.error}</div>}
        </>
      );
    default: {
      const unreachable: never = e;
      throw new Error(`unknown trace entry ${JSON.stringify(unreachable)}`);
    }
  }
}

const entryKey = (e: TraceEntry): string =>
  e.kind === "request" ? "request" : e.kind === "event" ? e.id : `attempt-${e.seq}`;

const Waterfall = ({ trace }: { trace: Trace }) => {
  const { start, span, bars } = barsOf(trace);
  const shown = trace.timeline.slice(0, MAX_ROWS);
  return (
    <>
      {shown.length < trace.timeline.length && (
        <p class="notice">
          {`Showing the first ${MAX_ROWS} of ${trace.timeline.length} entries; `}
          <code>{`GET /ops/traces/${trace.correlationId}`}</code> answers them all.
        </p>
      )}
      <Scroll label="Waterfall">
        <table class="waterfall">
          <caption>
            {`Waterfall over ${took(span)}: each fact and consumer attempt from the start of the trace (light: waiting, dark: working)`}
          </caption>
          <thead>
            <tr>
              <th scope="col" class="num">
                At
              </th>
              <th scope="col">What</th>
              <th scope="col" class="num">
                Lag
              </th>
              <th scope="col" class="num">
                Took
              </th>
              <th scope="col">Timeline</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e, i) => (
              <tr key={entryKey(e)}>
                <td class="num">{`+${took(e.at - start)}`}</td>
                <td>
                  <What e={e} />
                </td>
                <td class="num">{e.kind === "attempt" ? took(e.lagMs) : ""}</td>
                <td class="num">
                  {e.kind === "attempt"
                    ? took(e.durationMs)
                    : e.kind === "event" && e.publishedAt !== null
                      ? `${took(e.publishedAt - e.at)} to publish`
                      : ""}
                </td>
                <BarCell bar={bars[i] ?? { wait: 0, offset: 0, width: 0 }} />
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
    </>
  );
};

/**
 * `/console/traces/:id`: everything recorded under a correlation id (a request id, an alert id), as a
 * waterfall: the request, each fact it caused (linked to its envelope) and each consumer attempt with
 * its lag and duration. Read by the same function as `GET /ops/traces/:id`.
 */
export const tracesSection = consoleSection(
  "Traces",
  TRACES,
  (r) =>
    r.get(`${TRACES}/:id`, async (c) => {
      const id = c.req.param("id");
      const trace = id.length <= 128 ? await readTrace(getDb(c.env.DB), id) : null;
      const opts = { title: `Trace ${id}`, section: TRACES, head: ORDER_PAGES_CSS };
      if (!trace) {
        c.status(404);
        return c.render(
          <>
            <h1>No such trace</h1>
            <p role="alert">
              Nothing is recorded under <code>{id.length > 80 ? `${id.slice(0, 80)}…` : id}</code>: requests
              that record no event are not kept, and facts leave traces once the outbox prunes them.
            </p>
          </>,
          opts,
        );
      }
      const r = trace.request;
      const facts = trace.timeline.filter((e) => e.kind === "event").length;
      const attempts = trace.timeline.filter(
        (e): e is Extract<TraceEntry, { kind: "attempt" }> => e.kind === "attempt",
      );
      const failed = attempts.filter((a) => a.outcome !== "acked" && a.outcome !== "duplicate").length;
      return c.render(
        <>
          <h1>
            Trace <code>{id}</code>
          </h1>
          <dl>
            <dt>Started by</dt>
            <dd>
              {r ? (
                <>
                  <code>{`${r.method} ${r.path}`}</code> at <When ms={r.at} />
                  {r.userId && (
                    <>
                      {" "}
                      by <code>{r.userId}</code>
                    </>
                  )}
                  , W3C trace id <code>{r.traceId}</code> (in the request's log lines)
                </>
              ) : (
                "no request: a chain started by the system (an alert, a cron)"
              )}
            </dd>
            <dt>In it</dt>
            <dd>
              {facts} facts, {attempts.length} consumer attempts
              {failed > 0 && (
                <>
                  , <Badge status="retried">{`${failed} not acknowledged`}</Badge>
                </>
              )}
            </dd>
          </dl>
          <Waterfall trace={trace} />
        </>,
        opts,
      );
    }),
  { inNav: false },
);
