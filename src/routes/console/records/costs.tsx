import { FLOWS } from "../../../flows";
import { readCosts } from "../../ops/costs.handlers";
import { CostsQuery } from "../../ops/costs.routes";
import { consoleSection } from "../section";
import { Badge, Choice, filtersOf, NumHeader, recordErrors, Time } from "./shared";

const HREF = "/console/costs";

type Costs = Awaited<ReturnType<typeof readCosts>>;
type Line = Costs["flows"][number];

const usd = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  maximumSignificantDigits: 3,
});
const dollars = (n: number | null) => (n === null ? "—" : usd.format(n));
const count = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** A cost line per flow or consumer; the flows' table also carries the chart's data (costs.js). */
const Lines = ({
  id,
  caption,
  unit,
  lines,
}: {
  id?: string;
  caption: string;
  unit: string;
  lines: Line[];
}) => (
  <div class="table-scroll">
    <table id={id}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <NumHeader>{unit}</NumHeader>
          <NumHeader>Dollars</NumHeader>
          <NumHeader>{`Dollars per 1M ${unit.toLowerCase()}`}</NumHeader>
          <th scope="col">Largest item</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => {
          const largest = [...l.lineItems].sort((a, b) => b.dollars - a.dollars)[0];
          return (
            <tr key={l.name} data-name={l.name} data-per-million={l.dollarsPerMillion ?? ""}>
              <th scope="row">{l.name}</th>
              <td class="num">{count.format(l.units)}</td>
              <td class="num">{dollars(l.dollars)}</td>
              <td class="num">{dollars(l.dollarsPerMillion)}</td>
              <td>
                {largest && largest.dollars > 0 ? `${largest.item} (${dollars(largest.dollars)})` : "—"}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  </div>
);

/** What GET /ops/costs answers, as tables and a bar chart of each flow's dollars per million facts. */
export const costsSection = consoleSection("Costs", HREF, (r) =>
  r.onError(recordErrors(HREF)).get(HREF, async (c) => {
    const { flow } = filtersOf(CostsQuery, c.req.query());
    const costs = await readCosts(c.env, c.var.clock.now(), flow);
    const charted = costs.flows.some((f) => f.dollarsPerMillion !== null);
    c.header("cache-control", "no-store");
    return c.render(
      <>
        <h1>Costs</h1>
        <p class="muted">
          What each flow and consumer costs on Cloudflare's unit prices (read {costs.prices.readOn}), from the
          operations this isolate counted since <Time at={costs.since} />. Counters live in one isolate's
          memory; CPU time is not counted.
        </p>
        <form method="get" action={HREF} class="inline-form" aria-label="Choose a flow">
          <Choice
            id="costs-flow"
            name="flow"
            label="Flow"
            options={FLOWS.map((f) => f.name).sort()}
            value={flow}
          />
          <button type="submit">Show</button>
        </form>
        <ul class="figures">
          <li>
            Today so far
            <span class="figure">{dollars(costs.today.dollars)}</span>
          </li>
          <li>
            Within the plan's daily allowance
            <span class="figure">
              {costs.today.insideAllowances ? <Badge tone="ok">yes</Badge> : <Badge tone="warn">no</Badge>}
            </span>
          </li>
          <li>
            Facts counted
            <span class="figure">{count.format(costs.flows.reduce((n, f) => n + f.units, 0))}</span>
          </li>
          <li>
            Messages waiting
            <span class="figure">{count.format(costs.backlog.reduce((n, b) => n + b.messages, 0))}</span>
          </li>
        </ul>
        {charted && (
          <figure>
            <div
              id="cost-chart"
              role="img"
              aria-label="Bar chart of dollars per million facts for each flow; the same figures are in the Flows table."
            />
            <figcaption class="muted">Dollars per million facts, per flow</figcaption>
          </figure>
        )}
        <Lines
          id="cost-flows"
          caption="Flows, per million facts committed"
          unit="Facts"
          lines={costs.flows}
        />
        <Lines
          caption="Consumers, per million deliveries acknowledged"
          unit="Deliveries"
          lines={costs.consumers}
        />
        <div class="table-scroll">
          <table>
            <caption>Backlog: what waits, per queue</caption>
            <thead>
              <tr>
                <th scope="col">Queue</th>
                <NumHeader>Messages</NumHeader>
                <NumHeader>Bytes</NumHeader>
                <NumHeader>Message-hours</NumHeader>
              </tr>
            </thead>
            <tbody>
              {costs.backlog.map((b) => (
                <tr key={b.queue}>
                  <th scope="row">{b.queue}</th>
                  <td class="num">{count.format(b.messages)}</td>
                  <td class="num">{count.format(b.bytes)}</td>
                  <td class="num">{count.format(b.messageHours)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div class="table-scroll">
          <table>
            <caption>Today against a day's share of the paid plan's allowance</caption>
            <thead>
              <tr>
                <th scope="col">Unit</th>
                <NumHeader>Used</NumHeader>
                <NumHeader>Included per day</NumHeader>
                <th scope="col">Inside</th>
              </tr>
            </thead>
            <tbody>
              {costs.today.allowances.map((a) => (
                <tr key={a.item}>
                  <th scope="row">{a.item}</th>
                  <td class="num">{count.format(a.used)}</td>
                  <td class="num">{count.format(a.includedPerDay)}</td>
                  <td>{a.inside ? <Badge tone="ok">yes</Badge> : <Badge tone="warn">no</Badge>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </>,
      {
        title: "Costs",
        section: HREF,
        head: charted ? (
          <>
            <link rel="stylesheet" href="/vendor/uplot/uPlot.min.css" />
            <script src="/vendor/uplot/uPlot.iife.min.js" defer />
            <script src="/console/costs.js" defer />
          </>
        ) : undefined,
      },
    );
  }),
);
