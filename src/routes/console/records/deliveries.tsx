import { CONSUMERS } from "../../../flows";
import { DELIVERY_STATES } from "../../../platform/events/schema";
import { deliveriesPage } from "../../ops/deliveries.handlers";
import { DeliveryListQuery } from "../../ops/deliveries.routes";
import { consoleSection } from "../section";
import { Badge, Choice, Empty, EventLink, filtersOf, NumHeader, Pager, recordErrors, Time } from "./shared";

const HREF = "/console/deliveries";

const TONES = {
  queued: undefined,
  "in-progress": "ok",
  retrying: "warn",
  "dead-lettered": "danger",
} as const;

/** How long, in the largest unit that fits. */
const age = (seconds: number) =>
  seconds < 120
    ? `${seconds} s`
    : seconds < 7200
      ? `${Math.floor(seconds / 60)} min`
      : `${Math.floor(seconds / 3600)} h`;

/** Deliveries outstanding: what GET /ops/deliveries lists, as a page. */
export const deliveriesSection = consoleSection("Deliveries", HREF, (r) =>
  r.onError(recordErrors(HREF)).get(HREF, async (c) => {
    const filters = filtersOf(DeliveryListQuery, c.req.query());
    const page = await deliveriesPage(c.env, filters, Date.now());
    return c.render(
      <>
        <h1>Deliveries outstanding</h1>
        <p class="muted">
          Facts a subscribed consumer has not acknowledged past the grace period, oldest first. The reconciler
          re-sends them with backoff; each leaves this list once acknowledged or its dead letter is discarded.
        </p>
        <form method="get" action={HREF} class="inline-form" aria-label="Filter deliveries">
          <Choice
            id="deliveries-consumer"
            name="consumer"
            label="Consumer"
            options={Object.keys(CONSUMERS).sort()}
            value={filters.consumer}
          />
          <Choice
            id="deliveries-state"
            name="state"
            label="State"
            options={DELIVERY_STATES}
            value={filters.state}
          />
          <button type="submit">Show</button>
        </form>
        <div class="table-scroll">
          <table>
            <caption>Deliveries outstanding, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Type</th>
                <th scope="col">Consumer</th>
                <th scope="col">State</th>
                <th scope="col">Published</th>
                <NumHeader>Age</NumHeader>
                <NumHeader>Re-sends</NumHeader>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((d) => (
                <tr key={`${d.consumer}/${d.eventId}`}>
                  <td>
                    <EventLink id={d.eventId} />
                  </td>
                  <td>{d.eventType}</td>
                  <td>{d.consumer}</td>
                  <td>
                    <Badge tone={TONES[d.state]}>{d.state}</Badge>
                  </td>
                  <td>
                    <Time at={d.publishedAt} />
                  </td>
                  <td class="num">{age(d.ageSeconds)}</td>
                  <td class="num">{d.resends}</td>
                  <td>{d.lastError ?? <span class="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {page.items.length === 0 && <Empty what="outstanding deliveries" />}
        <Pager path={HREF} filters={filters} cursor={filters.cursor} nextCursor={page.nextCursor} />
      </>,
      { title: "Deliveries", section: HREF },
    );
  }),
);
