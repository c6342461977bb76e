import type { Context } from "hono";
import { CONSUMERS } from "../../flows";
import { deadLetterGroups } from "../../flows/ops/dead-letter-groups";
import { countWaiting } from "../../flows/ops/redrive";
import { getDb } from "../../platform/db/client";
import { BadRequestError } from "../../platform/errors";
import type { AppEnv } from "../../platform/http/app-env";
import { deadLetterPage, discardOne, findDeadLetter, redriveOne } from "../ops/dead-letters.handlers";
import { DEFAULT_BATCH, DEFAULT_RATE, deadLetterRunRoutes } from "./dead-letter-runs";
import { act, Notice, pageHref, Short, When } from "./dead-letters.parts";
import { consoleSection } from "./section";
import { consoleAction } from "./session";

const BASE = "/console/dead-letters";
/** Groups shown at most, largest first; a filter narrows to the rest. */
const GROUPS_SHOWN = 50;
const PAGE = 50;

/** The page's filters from its query: a consumer and an exact last error, each optional. */
function filtersOf(c: Context<AppEnv>) {
  const text = (name: string, max: number) => {
    const value = c.req.query(name)?.trim();
    if (value === undefined || value === "") return undefined;
    if (value.length > max) throw new BadRequestError(`The ${name} filter is longer than ${max} characters.`);
    return value;
  };
  return { consumer: text("consumer", 200), error: text("error", 4096), cursor: text("cursor", 512) };
}

const RunForm = ({ consumer, error, count }: { consumer?: string; error?: string; count: number }) => (
  <section aria-labelledby="run-heading">
    <h2 id="run-heading">
      Redrive {count === 1 ? "this dead letter" : `these ${count} dead letters`} as a run
    </h2>
    <form method="post" action={`${BASE}/redrive-runs`} class="inline-form">
      {consumer && <input type="hidden" name="consumer" value={consumer} />}
      {error && <input type="hidden" name="error" value={error} />}
      <label for="run-batch">Batch size</label>
      <input id="run-batch" name="batchSize" type="number" min={1} max={100} value={DEFAULT_BATCH} required />
      <label for="run-rate">Letters per second</label>
      <input
        id="run-rate"
        name="ratePerSecond"
        type="number"
        min={0.01}
        max={1000}
        step={0.01}
        value={DEFAULT_RATE}
        required
      />
      <button type="submit">Start redrive run</button>
    </form>
  </section>
);

/**
 * The console's dead letters: grouped by consumer and last error (counted by D1), filtered to one
 * consumer or group, a page of letters (keyset cursor), each letter's envelope and last error; and the
 * operator's hands: redrive one, redrive a group or everything matching as a throttled run
 * (dead-letter-runs.tsx), discard with a reason. Each action is its /ops twin's function and audit name.
 */
export const deadLettersSection = consoleSection("Dead letters", BASE, (r) =>
  deadLetterRunRoutes(
    r
      .get(BASE, async (c) => {
        const { consumer, error, cursor } = filtersOf(c);
        const db = getDb(c.env.DB);
        const scope = { consumer, error };
        const [groups, waiting, page] = await Promise.all([
          deadLetterGroups(db, { consumer }, GROUPS_SHOWN),
          countWaiting(db, scope),
          deadLetterPage(c.env, "console/dead-letters", { status: "dead", ...scope }, PAGE, cursor),
        ]);
        return c.render(
          <>
            <h1>Dead letters</h1>
            <Notice c={c} />
            <p>
              <strong>{waiting}</strong> dead letter{waiting === 1 ? "" : "s"} waiting
              {consumer || error ? " in this filter" : ""}.
            </p>
            <form method="get" action={BASE} class="inline-form" aria-label="Filter dead letters">
              <label for="dl-consumer">Consumer</label>
              <select id="dl-consumer" name="consumer">
                <option value="">Any</option>
                {Object.keys(CONSUMERS).map((name) => (
                  <option value={name} selected={name === consumer}>
                    {name}
                  </option>
                ))}
              </select>
              <label for="dl-error">Last error (exact)</label>
              <input id="dl-error" name="error" type="text" maxlength={4096} value={error ?? ""} />
              <button type="submit">Filter</button>
              {(consumer || error) && <a href={BASE}>Clear filter</a>}
            </form>
            <div class="table-scroll">
              <table>
                <caption>
                  Groups by consumer and last error, largest first
                  {groups.length === GROUPS_SHOWN ? ` (the first ${GROUPS_SHOWN})` : ""}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Consumer</th>
                    <th scope="col">Last error</th>
                    <th scope="col" class="num">
                      Letters
                    </th>
                    <th scope="col">Oldest</th>
                    <th scope="col">Newest</th>
                    <th scope="col">Show</th>
                  </tr>
                </thead>
                <tbody>
                  {groups.map((g) => (
                    <tr>
                      <td>{g.consumer}</td>
                      <td>
                        <Short text={g.error} />
                      </td>
                      <td class="num">{g.letters}</td>
                      <td>
                        <When ms={g.oldest} />
                      </td>
                      <td>
                        <When ms={g.newest} />
                      </td>
                      <td>
                        <a href={pageHref(BASE, { consumer: g.consumer, error: g.error })}>
                          This group<span class="sr-only"> ({g.consumer})</span>
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {waiting > 0 && <RunForm consumer={consumer} error={error} count={waiting} />}
            <div class="table-scroll">
              <table>
                <caption>Dead letters{consumer || error ? " in this filter" : ""}, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Id</th>
                    <th scope="col">Consumer</th>
                    <th scope="col">Event type</th>
                    <th scope="col">Last error</th>
                    <th scope="col" class="num">
                      Attempts
                    </th>
                    <th scope="col">First failed</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((d) => (
                    <tr>
                      <td>
                        <a href={`${BASE}/${d.id}`}>{d.id}</a>
                      </td>
                      <td>{d.consumer}</td>
                      <td>{d.eventType}</td>
                      <td>
                        <Short text={d.lastError} />
                      </td>
                      <td class="num">{d.attempts}</td>
                      <td>
                        <When ms={d.firstFailedAt} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <nav class="pager" aria-label="Dead letter pages">
              {cursor && <a href={pageHref(BASE, { consumer, error })}>First page</a>}
              {page.nextCursor && (
                <a href={pageHref(BASE, { consumer, error, cursor: page.nextCursor })}>Next page</a>
              )}
            </nav>
          </>,
          { title: "Dead letters", section: BASE },
        );
      })
      .get(`${BASE}/:id`, async (c) => {
        const d = await findDeadLetter(c.env, c.req.param("id"));
        let envelope = d.envelope;
        try {
          envelope = JSON.stringify(JSON.parse(d.envelope), null, 2);
        } catch {
          // A poison message is shown as it was stored.
        }
        return c.render(
          <>
            <h1>
              Dead letter <code>{d.id}</code>
            </h1>
            <Notice c={c} />
            <dl>
              <dt>Status</dt>
              <dd>
                <span class={`badge ${d.status === "dead" ? "danger" : "ok"}`}>{d.status}</span>
              </dd>
              <dt>Consumer</dt>
              <dd>
                <a href={pageHref(BASE, { consumer: d.consumer })}>{d.consumer}</a> (queue{" "}
                <code>{d.originQueue}</code>)
              </dd>
              <dt>Event</dt>
              <dd>
                <code>{d.eventType}</code> <code>{d.eventId}</code>
              </dd>
              <dt>Attempts</dt>
              <dd>{d.attempts}</dd>
              <dt>Failed</dt>
              <dd>
                first <When ms={d.firstFailedAt} />, last <When ms={d.lastFailedAt} />
              </dd>
              {d.redrivenAt !== null && (
                <>
                  <dt>Redriven</dt>
                  <dd>
                    <When ms={d.redrivenAt} />
                  </dd>
                </>
              )}
              {d.discardedAt !== null && (
                <>
                  <dt>Discarded</dt>
                  <dd>
                    <When ms={d.discardedAt} /> (the reason is in the audit log)
                  </dd>
                </>
              )}
            </dl>
            <h2>Last error</h2>
            <pre>{d.lastError}</pre>
            <p>
              <a href={pageHref(BASE, { consumer: d.consumer, error: d.lastError })}>
                Every dead letter of this group
              </a>
            </p>
            <h2>Envelope</h2>
            <pre>{envelope}</pre>
            {d.status === "dead" && (
              <section aria-labelledby="actions-heading">
                <h2 id="actions-heading">Actions</h2>
                <form method="post" action={`${BASE}/${d.id}/redrive`}>
                  <button type="submit">Redrive now</button>
                </form>
                <form method="post" action={`${BASE}/${d.id}/discard`} class="stack">
                  <label for="discard-reason">Why discard it (kept in the audit log)</label>
                  <textarea id="discard-reason" name="reason" required maxlength={500} rows={2} />
                  <button type="submit" class="danger">
                    Discard
                  </button>
                </form>
              </section>
            )}
          </>,
          { title: `Dead letter ${d.id}`, section: BASE },
        );
      })
      .post(`${BASE}/:id/redrive`, consoleAction("dead-letters.redrive"), (c) => {
        const id = c.req.param("id");
        return act(c, `${BASE}/${id}`, async () => {
          await redriveOne(c.env, id, Date.now(), c.get("log"));
          return "Redriven: sent back to its consumer.";
        });
      })
      .post(`${BASE}/:id/discard`, consoleAction("dead-letters.discard"), async (c) => {
        const id = c.req.param("id");
        const form = await c.req.parseBody();
        const reason = typeof form.reason === "string" ? form.reason.trim() : "";
        if (reason === "" || reason.length > 500) {
          throw new BadRequestError("Say why the dead letter is discarded (1–500 characters).");
        }
        return act(c, `${BASE}/${id}`, async () => {
          await discardOne(c.env, id, reason, Date.now(), c.get("log"));
          return "Discarded.";
        });
      }),
  ),
);
