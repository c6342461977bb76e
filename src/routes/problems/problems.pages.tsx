import { Layout, type NavLink } from "../../platform/http/pages/layout";
import type { ProblemType } from "../../platform/problem-types";

const NAV: NavLink[] = [
  { href: "/problems", label: "Problem types" },
  { href: "/docs", label: "API reference" },
];

/** The registry's sentences mark field and header names with backticks, as the JSON form keeps them. */
const Prose = ({ text }: { text: string }) => (
  <>{text.split("`").map((part, i) => (i % 2 === 1 ? <code>{part}</code> : part))}</>
);

/** One problem type's page: what it means and what to do, for a person following the `type` link. */
export const problemPage = (slug: string, t: ProblemType) => (
  <Layout title={`${slug} · Problem types`} nav={NAV}>
    <h1>
      <code>{slug}</code>
    </h1>
    <p class="muted">
      A problem type: the <code>type</code> of an <code>application/problem+json</code> answer (RFC 9457).
    </p>
    <dl>
      <dt>Status</dt>
      <dd>
        {t.status} {t.title}
      </dd>
      <dt>What it means</dt>
      <dd>
        <Prose text={t.meaning} />
      </dd>
      <dt>What to do</dt>
      <dd>
        <Prose text={t.todo} />
      </dd>
    </dl>
    <p>
      <a href="/problems">All problem types</a>
    </p>
  </Layout>
);

/** The index of every problem type, linking each page. */
export const problemIndexPage = (types: [string, ProblemType][]) => (
  <Layout title="Problem types" nav={NAV}>
    <h1>Crossdock problem types</h1>
    <p>
      Every error is <code>application/problem+json</code> (RFC 9457) whose <code>type</code> links here.
    </p>
    <ul>
      {types.map(([slug, t]) => (
        <li key={slug}>
          <a href={`/problems/${slug}`}>
            <code>{slug}</code>
          </a>{" "}
          ({t.status}): <Prose text={t.meaning} />
        </li>
      ))}
    </ul>
  </Layout>
);
