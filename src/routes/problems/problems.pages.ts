import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { ProblemType } from "../../platform/problem-types";

type Page = HtmlEscapedString | Promise<HtmlEscapedString>;

const layout = (title: string, body: Page) => html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title} · Crossdock problem types</title>
    <style>
      body { font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1a1a1a; }
      code { background: #f2f2f2; padding: 0 .25rem; }
      dt { font-weight: 600; margin-top: .75rem; }
    </style>
  </head>
  <body>
    <main>${body}</main>
  </body>
</html>`;

/** One problem type's page: what it means and what to do, for a person following the `type` link. */
export const problemPage = (slug: string, t: ProblemType) =>
  layout(
    t.title,
    html`<p><a href="/problems">All problem types</a></p>
      <h1><code>${slug}</code></h1>
      <dl>
        <dt>Status</dt>
        <dd>${t.status} ${t.title}</dd>
        <dt>What it means</dt>
        <dd>${t.meaning}</dd>
        <dt>What to do</dt>
        <dd>${t.todo}</dd>
      </dl>`,
  );

/** The index of every problem type, linking each page. */
export const problemIndexPage = (types: [string, ProblemType][]) =>
  layout(
    "All",
    html`<h1>Crossdock problem types</h1>
      <p>Every error is <code>application/problem+json</code> (RFC 9457) whose <code>type</code> links here.</p>
      <ul>
        ${types.map(([slug, t]) => html`<li><a href="/problems/${slug}"><code>${slug}</code></a> (${t.status}): ${t.meaning}</li>`)}
      </ul>`,
  );
