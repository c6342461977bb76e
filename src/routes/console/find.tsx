import { getDb } from "../../platform/db/client";
import { FIND_PATH } from "./console.layout";
import { ORDER_PAGES_CSS } from "./display";
import { type Found, findAnything, MAX_QUERY } from "./find-anything";
import { consoleSection } from "./section";

const KIND_LABEL: Record<Found["kind"], string> = {
  order: "Order",
  job: "Job",
  event: "Event",
  trace: "Trace",
  buyer: "Buyer's orders",
  merchant: "Merchant's orders",
};

const SEARCHED =
  "order ids, job ids, event ids, request and correlation ids, user ids and emails (buyers and merchants)";

const FindForm = ({ q }: { q: string }) => (
  <search>
    <form method="get" action={FIND_PATH} class="inline-form">
      <label for="find-q">Id or email</label>
      <input id="find-q" name="q" type="search" required maxlength={MAX_QUERY} value={q} />
      <button type="submit">Find</button>
    </form>
  </search>
);

/** Shows a query in a sentence without letting a pasted essay take the page over. */
const shown = (q: string) => (q.length > 80 ? `${q.slice(0, 80)}…` : q);

/**
 * `GET /console/find?q=`: the header's search box. One match redirects to its page (303); several are
 * listed; none is a 404 page naming what was searched; an empty or over-long query is a 400 page.
 */
export const findSection = consoleSection(
  "Find",
  FIND_PATH,
  (r) =>
    r.get(FIND_PATH, async (c) => {
      const q = (c.req.query("q") ?? "").trim();
      const opts = { title: "Find", section: FIND_PATH, head: ORDER_PAGES_CSS };
      if (q.length === 0 || q.length > MAX_QUERY) {
        c.status(400);
        return c.render(
          <>
            <h1>Find</h1>
            <p role="alert" class="error">
              {q.length === 0
                ? "Type an id or an email to find."
                : `That query is ${q.length} characters long; an id or email is at most ${MAX_QUERY}.`}
            </p>
            <FindForm q={q.length > MAX_QUERY ? "" : q} />
          </>,
          opts,
        );
      }
      const found = await findAnything(getDb(c.env.DB), q);
      const only = found.length === 1 ? found[0] : undefined;
      if (only) return c.redirect(only.href, 303);
      if (found.length === 0) c.status(404);
      return c.render(
        <>
          <h1>Find</h1>
          <FindForm q={q} />
          {found.length === 0 ? (
            <>
              <p role="status">
                Nothing matches <code>{shown(q)}</code>.
              </p>
              <p class="muted">Searched {SEARCHED}. Ids match exactly; emails in any case.</p>
            </>
          ) : (
            <>
              <p role="status">
                {found.length} things match <code>{shown(q)}</code>:
              </p>
              <ul>
                {found.map((f) => (
                  <li key={f.href}>
                    <a href={f.href}>
                      {KIND_LABEL[f.kind]} <code>{f.id}</code>
                    </a>{" "}
                    <span class="muted">{f.detail}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>,
        opts,
      );
    }),
  { inNav: false },
);
