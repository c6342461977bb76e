import { auditPage } from "../../ops/audit.handlers";
import { AuditListQuery } from "../../ops/audit.routes";
import { consoleSection } from "../section";
import { Badge, Empty, filtersOf, Json, Pager, recordErrors, Time } from "./shared";

const HREF = "/console/audit";

const tone = (status: number) => (status < 400 ? "ok" : status < 500 ? "warn" : "danger");

/** The audit log: every operator action, from /ops or the console, as GET /ops/audit lists it. */
export const auditSection = consoleSection("Audit", HREF, (r) =>
  r.onError(recordErrors(HREF)).get(HREF, async (c) => {
    const filters = filtersOf(AuditListQuery, c.req.query());
    const page = await auditPage(c.env, filters);
    return c.render(
      <>
        <h1>Audit log</h1>
        <p class="muted">
          Every operator action (redrive, discard, faults, settlement runs, game-day records), whatever its
          outcome, newest first: who, what, when, the request id and the status it was answered with.
        </p>
        <form method="get" action={HREF} class="inline-form" aria-label="Filter the audit log">
          <label for="audit-action">Action</label>
          <input
            id="audit-action"
            name="action"
            maxlength={128}
            placeholder="dead-letters.redrive"
            value={filters.action}
          />
          <label for="audit-actor">Actor (user id)</label>
          <input id="audit-actor" name="actor" maxlength={128} value={filters.actor} />
          <button type="submit">Show</button>
        </form>
        <div class="table-scroll">
          <table>
            <caption>Operator actions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Request</th>
                <th scope="col">Status</th>
                <th scope="col">Request id</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Time at={a.at} />
                  </td>
                  <td>{a.actor.email ?? <code>{a.actor.id}</code>}</td>
                  <td>{a.action}</td>
                  <td>
                    <details>
                      <summary>
                        {a.method} <code>{a.path}</code>
                      </summary>
                      <Json value={{ params: a.params, body: a.body }} />
                    </details>
                  </td>
                  <td>
                    <Badge tone={tone(a.status)}>{String(a.status)}</Badge>
                  </td>
                  <td>
                    <code>{a.requestId}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {page.items.length === 0 && <Empty what="actions" />}
        <Pager path={HREF} filters={filters} cursor={filters.cursor} nextCursor={page.nextCursor} />
      </>,
      { title: "Audit log", section: HREF },
    );
  }),
);
