import type { Child } from "hono/jsx";
import type { ConsumerFigures, FlowFigures, FlowHistory, RuleFigures } from "./figures";
import { LIVE_FLOWS_PATH, LIVE_PERIOD_MS } from "./live";
import { CHART_SERIES, type ChartKey, type LiveFields, liveFields, ruleState } from "./live-fields";

/** Head additions: uPlot (vendored from npm) before the page's own script, which draws with it. */
export const FlowsHead = () => (
  <>
    <link rel="stylesheet" href="/vendor/uplot/uPlot.min.css" />
    <link rel="stylesheet" href="/console/flows.css" />
    <script defer src="/vendor/uplot/uPlot.iife.min.js" />
    <script type="module" src="/console/flows.js" />
  </>
);

/**
 * A consumer's chart data: the minutes of history (acked and failed deliveries per minute; the backlog
 * and dead letters were not kept, so those start now) then the figures of now. Times in ms.
 */
function chartHistory(c: ConsumerFigures, history: FlowHistory, at: number) {
  const minutes = history.perConsumer.get(c.consumer) ?? [];
  const gap = history.at.map(() => null);
  const series: Record<ChartKey, (number | null)[]> = {
    backlog: [...gap, c.backlog],
    acked: [...minutes.map((m) => m.acked), c.ackedPerMinute],
    failures: [...minutes.map((m) => m.failures), c.failuresPerMinute],
    deadLetters: [...gap, c.deadLetters],
  };
  return JSON.stringify({ at: [...history.at, at], ...series });
}

/** A figure that the live stream updates: its text is `fields[key]` now and the stream's value later. */
const Live = ({ fields, name }: { fields: LiveFields; name: string }) => (
  <span data-field={name}>{fields[name] ?? "—"}</span>
);

const Total = ({ fields, name, children }: { fields: LiveFields; name: string; children: Child }) => (
  <li>
    <span class="figure" data-field={name}>
      {fields[name]}
    </span>{" "}
    {children}
  </li>
);

const Num = ({ fields, name }: { fields: LiveFields; name: string }) => (
  <td class="num" data-field={name}>
    {fields[name] ?? "—"}
  </td>
);

const ConsumerRow = ({ c, fields }: { c: ConsumerFigures; fields: LiveFields }) => (
  <tr>
    <th scope="row">
      {c.consumer}
      <br />
      <span class="muted">
        {c.flow} · <code>{c.queue}</code>
        <br />
        backlog <Live fields={fields} name={`${c.consumer}.backlogSource`} />
      </span>
    </th>
    <Num fields={fields} name={`${c.consumer}.backlog`} />
    <Num fields={fields} name={`${c.consumer}.oldest`} />
    <Num fields={fields} name={`${c.consumer}.acked`} />
    <Num fields={fields} name={`${c.consumer}.failures`} />
    <Num fields={fields} name={`${c.consumer}.failuresTotal`} />
    <Num fields={fields} name={`${c.consumer}.retriesTotal`} />
    <Num fields={fields} name={`${c.consumer}.deadLetters`} />
  </tr>
);

const RuleRow = ({ r, fields }: { r: RuleFigures; fields: LiveFields }) => {
  const key = (k: string) => `alert.${r.rule}.${k}`;
  return (
    <tr>
      <th scope="row">
        <code>{r.rule}</code>
      </th>
      <td>
        <code>{r.metric}</code>
        <br />
        <span class="muted" data-field={key("source")}>
          {fields[key("source")]}
        </span>
      </td>
      <Num fields={fields} name={key("value")} />
      <td class="num">{r.threshold}</td>
      <td>
        <span class={`badge ${ruleState(r).tone}`} data-field={key("state")} data-tone-field={key("tone")}>
          {fields[key("state")]}
        </span>
      </td>
      <td data-field={key("since")}>{fields[key("since")]}</td>
    </tr>
  );
};

/**
 * "Flows at a glance": totals, a row per queue and consumer, the alert rules, and a small chart per
 * consumer. Readable without JavaScript (the figures of the moment it was rendered); with it,
 * public/console/console.js follows LIVE_FLOWS_PATH and updates every `data-field`, and
 * public/console/flows.js draws the charts and appends each new point.
 */
export const FlowsPage = ({ figures, history }: { figures: FlowFigures; history: FlowHistory }) => {
  const fields = liveFields(figures);
  return (
    <div data-live={LIVE_FLOWS_PATH} class="flows">
      <h1>Flows at a glance</h1>
      <p class="muted">
        Every queue and consumer, read from D1 and the queues every {LIVE_PERIOD_MS / 1000} seconds and sent
        to this page as it changes. Figures of <Live fields={fields} name="updated" />.
      </p>
      <ul class="figures" aria-label="Totals">
        <Total fields={fields} name="total.backlog">
          deliveries waiting
        </Total>
        <Total fields={fields} name="total.acked">
          acked in the last minute
        </Total>
        <Total fields={fields} name="total.failures">
          failures in the last minute
        </Total>
        <Total fields={fields} name="total.deadLetters">
          dead letters waiting
        </Total>
        <Total fields={fields} name="alerts.firing">
          alerts firing
        </Total>
        <Total fields={fields} name="outbox.unpublished">
          facts not yet relayed (oldest <Live fields={fields} name="outbox.oldest" />)
        </Total>
      </ul>

      <h2>Queues and consumers</h2>
      <p class="muted">
        The backlog is what the queue itself says it holds, where the runtime lets the worker ask (
        <code>metrics()</code> on the queue's producer binding: marked "from the queue"); elsewhere it is what
        the delivery ledger found unacknowledged past the grace period, queued or retrying (marked "from
        Crossdock's tables"), a message younger than that being in flight, not late. Failures are retried and
        dead-lettered deliveries; those a game-day fault caused are not counted.
      </p>
      <div class="table-scroll">
        <table>
          <caption>Each consumer and its queue</caption>
          <thead>
            <tr>
              <th scope="col">Consumer</th>
              <th scope="col" class="num">
                Backlog
              </th>
              <th scope="col" class="num">
                Oldest waiting
              </th>
              <th scope="col" class="num">
                Acked / min
              </th>
              <th scope="col" class="num">
                Failures / min
              </th>
              <th scope="col" class="num">
                Failures, all time
              </th>
              <th scope="col" class="num">
                Retries, all time
              </th>
              <th scope="col" class="num">
                Dead letters
              </th>
            </tr>
          </thead>
          <tbody>
            {figures.consumers.map((c) => (
              <ConsumerRow key={c.consumer} c={c} fields={fields} />
            ))}
          </tbody>
        </table>
      </div>

      <h2>Alert rules</h2>
      <p class="muted">
        A rule is above its threshold as soon as its value is; the evaluation (every minute, and whenever a
        message is dead-lettered) then raises its alert, which fires until the value drops back.
      </p>
      <div class="table-scroll">
        <table>
          <caption>Each rule, its value now and its alert</caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Watches</th>
              <th scope="col" class="num">
                Value now
              </th>
              <th scope="col" class="num">
                Threshold
              </th>
              <th scope="col">State</th>
              <th scope="col">Firing since</th>
            </tr>
          </thead>
          <tbody>
            {figures.rules.map((r) => (
              <RuleRow key={r.rule} r={r} fields={fields} />
            ))}
          </tbody>
        </table>
      </div>

      <h2>The last {history.at.length} minutes</h2>
      <ul class="chart-key" aria-label="Chart key">
        {CHART_SERIES.map((s) => (
          <li key={s.key} data-series={s.key} data-label={s.label}>
            <span class={`swatch ${s.key}`} aria-hidden="true" />
            {s.label}
          </li>
        ))}
        <li class="muted">times in UTC</li>
      </ul>
      <div class="flow-charts">
        {figures.consumers.map((c) => (
          <figure
            key={c.consumer}
            class="flow-chart"
            data-consumer={c.consumer}
            data-history={chartHistory(c, history, figures.at)}
          >
            <figcaption>{c.consumer}</figcaption>
            <div
              class="flow-chart-plot"
              role="img"
              aria-label={`${c.consumer}: ${CHART_SERIES.map((s) => s.label.toLowerCase()).join(", ")} over time; the table above has the figures of now`}
            />
          </figure>
        ))}
      </div>
    </div>
  );
};
