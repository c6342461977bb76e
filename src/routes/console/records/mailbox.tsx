import { mailboxPage } from "../../ops/mailbox.handlers";
import { MailboxListQuery } from "../../ops/mailbox.routes";
import { consoleSection } from "../section";
import { Empty, EventLink, filtersOf, Pager, recordErrors, Time } from "./shared";

const HREF = "/console/mailbox";

/** The local mailbox (EMAIL_PROVIDER=mailbox): what would have been sent, as GET /ops/mailbox lists it. */
export const mailboxSection = consoleSection("Mailbox", HREF, (r) =>
  r.onError(recordErrors(HREF)).get(HREF, async (c) => {
    const filters = filtersOf(MailboxListQuery, c.req.query());
    const page = await mailboxPage(c.env, filters);
    return c.render(
      <>
        <h1>Mailbox</h1>
        <p class="muted">
          Emails the local mailbox provider stored instead of sending (EMAIL_PROVIDER=mailbox), newest first.
        </p>
        <form method="get" action={HREF} class="inline-form" aria-label="Filter the mailbox">
          <label for="mailbox-to">To</label>
          <input id="mailbox-to" name="to" type="email" maxlength={320} value={filters.to} />
          <button type="submit">Show</button>
        </form>
        <div class="table-scroll">
          <table>
            <caption>Messages, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Sent</th>
                <th scope="col">To</th>
                <th scope="col">Subject and text</th>
                <th scope="col">Template</th>
                <th scope="col">Sent for</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((m) => (
                <tr key={m.id}>
                  <td>
                    <Time at={m.sentAt} />
                  </td>
                  <td>{m.to}</td>
                  <td>
                    <details>
                      <summary>{m.subject}</summary>
                      <pre tabindex={0}>{m.text}</pre>
                    </details>
                  </td>
                  <td>{m.template}</td>
                  <td>
                    <EventLink id={m.eventId} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {page.items.length === 0 && <Empty what="messages" />}
        <Pager path={HREF} filters={filters} cursor={filters.cursor} nextCursor={page.nextCursor} />
      </>,
      { title: "Mailbox", section: HREF },
    );
  }),
);
