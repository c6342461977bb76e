import { GAMEDAY_VERDICTS, type GamedayVerdict } from "../../../flows/ops/schema";
import { gamedaysPage, readGameday } from "../../ops/gamedays.handlers";
import { GamedayListQuery } from "../../ops/gamedays.routes";
import { consoleSection } from "../section";
import { Badge, Choice, Empty, filtersOf, NumHeader, Pager, recordErrors, Time } from "./shared";

const HREF = "/console/gamedays";

const TONES: Record<GamedayVerdict, "ok" | "warn" | "danger"> = {
  held: "ok",
  failed: "danger",
  aborted: "warn",
};

const Verdict = ({ verdict }: { verdict: GamedayVerdict }) => <Badge tone={TONES[verdict]}>{verdict}</Badge>;

const runHref = (id: string) => `${HREF}/${encodeURIComponent(id)}`;

/** Game-day runs recorded through POST /ops/gamedays, and each run's checks and report. */
export const gamedaysSection = consoleSection("Game days", HREF, (r) =>
  r
    .onError(recordErrors(HREF))
    .get(HREF, async (c) => {
      const filters = filtersOf(GamedayListQuery, c.req.query());
      const page = await gamedaysPage(c.env, filters);
      return c.render(
        <>
          <h1>Game days</h1>
          <p class="muted">
            Runs of the game-day harness (<code>npm run gameday</code>), newest first, with their verdicts.
          </p>
          <form method="get" action={HREF} class="inline-form" aria-label="Filter game days">
            <label for="gamedays-scenario">Scenario</label>
            <input id="gamedays-scenario" name="scenario" maxlength={64} value={filters.scenario} />
            <Choice
              id="gamedays-verdict"
              name="verdict"
              label="Verdict"
              options={GAMEDAY_VERDICTS}
              value={filters.verdict}
            />
            <button type="submit">Show</button>
          </form>
          <div class="table-scroll">
            <table>
              <caption>Game-day runs, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Scenario</th>
                  <th scope="col">Verdict</th>
                  <NumHeader>Checks held</NumHeader>
                  <NumHeader>Lost, duplicated, unexpected</NumHeader>
                  <th scope="col">Started</th>
                  <th scope="col">Ended</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((g) => (
                  <tr key={g.id}>
                    <td>
                      <a href={runHref(g.id)}>
                        <code>{g.id}</code>
                      </a>
                    </td>
                    <td>{g.scenario}</td>
                    <td>
                      <Verdict verdict={g.verdict} />
                    </td>
                    <td class="num">{`${g.checksHeld} of ${g.checksTotal}`}</td>
                    <td class="num">{`${g.totals.lost}, ${g.totals.duplicated}, ${g.totals.unexpected}`}</td>
                    <td>
                      <Time at={g.startedAt} />
                    </td>
                    <td>
                      <Time at={g.endedAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {page.items.length === 0 && <Empty what="game-day runs" />}
          <Pager path={HREF} filters={filters} cursor={filters.cursor} nextCursor={page.nextCursor} />
        </>,
        { title: "Game days", section: HREF },
      );
    })
    .get(`${HREF}/:id`, async (c) => {
      const run = await readGameday(c.env, c.req.param("id"));
      return c.render(
        <>
          <h1>
            Game day <code>{run.id}</code>
          </h1>
          <dl>
            <dt>Scenario and verdict</dt>
            <dd>
              {run.scenario} <Verdict verdict={run.verdict} />
            </dd>
            <dt>Hypothesis</dt>
            <dd>{run.hypothesis}</dd>
            <dt>Ran</dt>
            <dd>
              <Time at={run.startedAt} /> to <Time at={run.endedAt} />
            </dd>
            <dt>Effects the checker found lost, duplicated, unexpected</dt>
            <dd>{`${run.totals.lost}, ${run.totals.duplicated}, ${run.totals.unexpected}`}</dd>
            <dt>Report on the harness's disk</dt>
            <dd>
              <code>{run.reportPath}</code>
            </dd>
          </dl>
          <div class="table-scroll">
            <table>
              <caption>{`Checks: ${run.checksHeld} of ${run.checksTotal} held`}</caption>
              <thead>
                <tr>
                  <th scope="col">Check</th>
                  <th scope="col">Expected</th>
                  <th scope="col">Actual</th>
                  <th scope="col">Held</th>
                </tr>
              </thead>
              <tbody>
                {run.checks.map((check) => (
                  <tr key={check.name}>
                    <th scope="row">{check.name}</th>
                    <td>{check.expected}</td>
                    <td>{check.actual}</td>
                    <td>
                      {check.held ? <Badge tone="ok">held</Badge> : <Badge tone="danger">failed</Badge>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <section aria-labelledby="report">
            <h2 id="report">Report</h2>
            <details>
              <summary>The run's Markdown report</summary>
              <pre tabindex={0}>{run.markdown}</pre>
            </details>
          </section>
        </>,
        { title: `Game day ${run.id}`, section: HREF },
      );
    }),
);
