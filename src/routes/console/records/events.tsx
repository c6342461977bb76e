import { topology } from "../../../platform/events/registry";
import { upcastHistory } from "../../../platform/events/upcast";
import { readEvent } from "../../ops/events.handlers";
import { consoleSection } from "../section";
import { EventListQuery, eventsPage } from "./event-list";
import {
  Badge,
  Choice,
  Empty,
  EventLink,
  filtersOf,
  Json,
  NumHeader,
  Pager,
  recordErrors,
  Time,
} from "./shared";

const HREF = "/console/events";

type Event = Awaited<ReturnType<typeof readEvent>>;
type Listed = Awaited<ReturnType<typeof eventsPage>>["items"][number];

const Progress = ({ e }: { e: Pick<Listed, "publishedAt" | "settledAt"> }) =>
  e.settledAt !== null ? (
    <Badge tone="ok">settled</Badge>
  ) : e.publishedAt !== null ? (
    <Badge>delivering</Badge>
  ) : (
    <Badge tone="warn">not relayed</Badge>
  );

/** How the stored data reads at each version on its way to the one consumers see. */
function UpcastHistory({ envelope }: { envelope: unknown }) {
  const { steps, error } = upcastHistory(envelope);
  const [only] = steps;
  return (
    <section aria-labelledby="upcasts">
      <h2 id="upcasts">Upcast history</h2>
      {error === null && steps.length === 1 && only ? (
        <p>Stored at the current version, v{only.version}: consumers read it as written.</p>
      ) : (
        <ol>
          {steps.map((step, i) => (
            <li key={step.version}>
              <p>
                {i === 0
                  ? `v${step.version}, as written`
                  : `v${step.version}, after the upcaster from v${step.version - 1}`}
                {i === steps.length - 1 && error === null ? " (what consumers receive)" : ""}
              </p>
              <Json value={step.data} />
            </li>
          ))}
        </ol>
      )}
      {error !== null && (
        <p class="error">{`Consumers refuse it as poison (it is dead-lettered on its first attempt): ${error}`}</p>
      )}
    </section>
  );
}

const payloadOf = (envelope: unknown) =>
  typeof envelope === "object" && envelope !== null && "data" in envelope ? envelope.data : envelope;

function Consumers({ consumers }: { consumers: Event["consumers"] }) {
  const attempts = consumers.flatMap((c) => c.attempts.map((a) => ({ consumer: c.consumer, ...a })));
  return (
    <>
      <section aria-labelledby="consumers">
        <h2 id="consumers">Who consumed it</h2>
        {consumers.length === 0 ? (
          <p class="muted">No consumer subscribes to this type.</p>
        ) : (
          <div class="table-scroll">
            <table>
              <caption>Each consumer's delivery of this fact</caption>
              <thead>
                <tr>
                  <th scope="col">Consumer</th>
                  <th scope="col">Acknowledged</th>
                  <NumHeader>Attempts</NumHeader>
                  <th scope="col">Dead letter</th>
                  <th scope="col">Outstanding delivery</th>
                </tr>
              </thead>
              <tbody>
                {consumers.map((c) => (
                  <tr key={c.consumer}>
                    <th scope="row">
                      {c.consumer}
                      {!c.subscribed && <span class="muted"> (no longer subscribed)</span>}
                    </th>
                    <td>
                      {c.acknowledged ? <Time at={c.acknowledgedAt} /> : <Badge tone="warn">not yet</Badge>}
                    </td>
                    <td class="num">{c.attempts.length}</td>
                    <td>
                      {c.deadLetter ? (
                        <a href={`/console/dead-letters/${encodeURIComponent(c.deadLetter.id)}`}>
                          {c.deadLetter.status}
                        </a>
                      ) : (
                        <span class="muted">—</span>
                      )}
                    </td>
                    <td>
                      {c.delivery ? (
                        `${c.delivery.state}, re-sent ${c.delivery.resends} times`
                      ) : (
                        <span class="muted">—</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {attempts.length > 0 && (
        <section aria-labelledby="attempts">
          <h2 id="attempts">Attempts</h2>
          <div class="table-scroll">
            <table>
              <caption>Every delivery attempt, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">Consumer</th>
                  <NumHeader>Attempt</NumHeader>
                  <th scope="col">Outcome</th>
                  <th scope="col">Started</th>
                  <NumHeader>Duration (ms)</NumHeader>
                  <NumHeader>Lag (ms)</NumHeader>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                {attempts.map((a) => (
                  <tr key={`${a.consumer}/${a.attempt}/${a.startedAt}`}>
                    <td>{a.consumer}</td>
                    <td class="num">{a.attempt}</td>
                    <td>
                      <Badge
                        tone={
                          a.outcome === "acked" ? "ok" : a.outcome === "dead-lettered" ? "danger" : "warn"
                        }
                      >
                        {a.outcome}
                      </Badge>
                    </td>
                    <td>
                      <Time at={a.startedAt} />
                    </td>
                    <td class="num">{a.durationMs}</td>
                    <td class="num">{a.lagMs}</td>
                    <td>{a.error ?? <span class="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </>
  );
}

/** The Events pages: facts in the outbox by type and time, and one fact's whole record. */
export const eventsSection = consoleSection("Events", HREF, (r) =>
  r
    .onError(recordErrors(HREF))
    .get(HREF, async (c) => {
      const filters = filtersOf(EventListQuery, c.req.query());
      const page = await eventsPage(c.env, filters);
      const types = Object.keys(topology().events).sort();
      return c.render(
        <>
          <h1>Events</h1>
          <p class="muted">
            Facts in the outbox, newest first: kept until every subscribed consumer has them, then for the
            outbox's retention.
          </p>
          <form method="get" action={HREF} class="inline-form" aria-label="Filter events">
            <Choice id="events-type" name="type" label="Type" options={types} value={filters.type} />
            <label for="events-before">Created before (UTC)</label>
            <input id="events-before" name="before" type="datetime-local" step={1} value={filters.before} />
            <button type="submit">Show</button>
          </form>
          <div class="table-scroll">
            <table>
              <caption>Events, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Type</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Correlation</th>
                  <th scope="col">Created</th>
                  <th scope="col">Delivery</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <EventLink id={e.id} />
                    </td>
                    <td>{e.type}</td>
                    <td>
                      <code>{e.subject}</code>
                    </td>
                    <td>
                      <code>{e.correlationId}</code>
                    </td>
                    <td>
                      <Time at={e.createdAt} />
                    </td>
                    <td>
                      <Progress e={e} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {page.items.length === 0 && <Empty what="events" />}
          <Pager path={HREF} filters={filters} cursor={filters.cursor} nextCursor={page.nextCursor} />
        </>,
        { title: "Events", section: HREF },
      );
    })
    .get(`${HREF}/:id`, async (c) => {
      const event = await readEvent(c.env, c.req.param("id"));
      return c.render(
        <>
          <h1>
            Event <code>{event.id}</code>
          </h1>
          <dl>
            <dt>Type</dt>
            <dd>
              {event.type}
              {event.schemaVersion !== null && ` v${event.schemaVersion} as stored`}
            </dd>
            <dt>Subject</dt>
            <dd>
              <code>{event.subject}</code>
            </dd>
            <dt>Correlation id</dt>
            <dd>
              <code>{event.correlationId}</code>
            </dd>
            <dt>Created, published, settled</dt>
            <dd>
              <Time at={event.createdAt} />, <Time at={event.publishedAt} />, <Time at={event.settledAt} />{" "}
              <Progress e={event} />
            </dd>
          </dl>
          <section aria-labelledby="payload">
            <h2 id="payload">Payload</h2>
            <Json value={payloadOf(event.envelope)} />
          </section>
          <UpcastHistory envelope={event.envelope} />
          <Consumers consumers={event.consumers} />
          <section aria-labelledby="envelope">
            <h2 id="envelope">Envelope</h2>
            <details>
              <summary>The stored CloudEvents envelope</summary>
              <Json value={event.envelope} />
            </details>
          </section>
        </>,
        { title: `Event ${event.id}`, section: HREF },
      );
    }),
);
