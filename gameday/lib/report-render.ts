/**
 * A game day's report, written three ways into its folder: report.md (terminal and PR), report.html (one
 * self-contained page with uPlot charts, opens from file:// with no network) and report.json (the data).
 * Both texts come from the same table data and chart summaries, so they never disagree.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { f0 } from "../../bench/lib/markdown";
import { findingExamples, flowData, invariantData, markdownTable, type TableData } from "./report";
import type { GamedayReport, Series, Verdict, Window } from "./report-model";

const VERDICT: Record<Verdict, { mark: string; words: string }> = {
  held: { mark: "✔", words: "hypothesis held" },
  failed: { mark: "✘", words: "hypothesis failed" },
  aborted: { mark: "⚠", words: "aborted" },
};

/** The four charts, by the series they draw. */
export const CHARTS = [
  { series: "backlog", title: "Backlog per consumer", unit: "facts not yet acknowledged", axis: "facts" },
  { series: "oldestAgeS", title: "Oldest unacknowledged fact per consumer", unit: "age, s", axis: "s" },
  { series: "throughput", title: "Throughput per consumer", unit: "acknowledgements/s", axis: "acks/s" },
  { series: "syncP99Ms", title: "Sync p99 latency per route", unit: "p99, ms", axis: "ms" },
] as const satisfies readonly {
  series: keyof Omit<Series, "t">;
  title: string;
  unit: string;
  /** The y axis's label: short, so a phone's chart has room for it. */
  axis: string;
}[];

const num = (v: number | null): string => {
  if (v === null) return "—";
  if (Number.isInteger(v) || Math.abs(v) >= 100) return f0(v);
  return String(Number(v.toFixed(Math.abs(v) >= 10 ? 1 : 2)));
};
const clock = (ms: number) => {
  const s = Math.round(Math.abs(ms) / 1000);
  return `${ms < 0 ? "−" : ""}${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};
const duration = (ms: number) =>
  ms < 60_000
    ? `${(ms / 1000).toFixed(1)} s`
    : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;

export const checksHeld = (r: GamedayReport) => r.checks.filter((c) => c.held).length;

function checkData(r: GamedayReport): TableData {
  return {
    columns: [["held"], ["check"], ["expected"], ["actual"]],
    rows: r.checks.map((c) => [c.held ? "✔ yes" : "✘ **no**", c.name, c.expected, c.actual]),
  };
}

function timelineData(r: GamedayReport): TableData {
  const at = (w: Window, kind: string) => [
    kind,
    w.label,
    `t+${clock(w.from - r.startedAt)}`,
    `t+${clock(w.to - r.startedAt)}`,
    duration(w.to - w.from),
  ];
  return {
    columns: [["kind"], ["label"], ["from", "right"], ["to", "right"], ["length", "right"]],
    rows: [...r.phases.map((w) => at(w, "phase")), ...r.faults.map((w) => at(w, "fault"))],
  };
}

function phaseFigureData(r: GamedayReport): TableData {
  return {
    columns: [["metric"], ["unit"], ["steady", "right"], ["during", "right"], ["after", "right"]],
    rows: r.phaseFigures.map((p) => [p.metric, p.unit, num(p.steady), num(p.during), num(p.after)]),
  };
}

function retryData(r: GamedayReport): TableData {
  return {
    columns: [
      ["consumer"],
      ["messages", "right"],
      ["attempts", "right"],
      ["retries per message", "right"],
      ["failures injected", "right"],
      ["dead-lettered", "right"],
    ],
    rows: r.retries.map((x) => [
      x.consumer,
      f0(x.messages),
      f0(x.attempts),
      x.retriesPerMessage.toFixed(2),
      f0(x.injected),
      f0(x.deadLettered),
    ]),
  };
}

/** What each chart shows, in words: per line its peak (and whether a fault window holds it) and its end. */
export function chartSummaries(r: GamedayReport): { title: string; unit: string; summary: string }[] {
  const faultAt = (t: number) => r.faults.find((f) => f.from <= t && t <= f.to);
  return CHARTS.map((chart) => {
    const lines = Object.entries(r.series[chart.series]).map(([name, values]) => {
      let peak = -1;
      for (const [i, v] of values.entries()) if (v !== null && (peak < 0 || v > values[peak]!)) peak = i;
      if (peak < 0) return `${name}: no samples`;
      const t = r.series.t[peak]!;
      const fault = faultAt(t);
      const last = values.findLast((v) => v !== null) ?? null;
      return `${name} peaks at ${num(values[peak]!)} at t+${clock(t - r.startedAt)}${fault ? ` (in the fault window “${fault.label}”)` : ""}, ends at ${num(last)}`;
    });
    const summary = lines.length === 0 ? "No samples." : `${lines.join("; ")}.`;
    return { title: chart.title, unit: chart.unit, summary };
  });
}

function prose(r: GamedayReport) {
  const held = checksHeld(r);
  const dl = r.deadLetters;
  return {
    result: [
      `${held} of ${r.checks.length} checks held`,
      ...r.checks
        .filter((c) => !c.held)
        .map((c) => `failed: ${c.name} (${c.actual}, expected ${c.expected})`),
      ...(r.verdict === "aborted" && r.abortReason ? [`aborted: ${r.abortReason}`] : []),
    ]
      .join("; ")
      .concat("."),
    deadLetters:
      dl === null
        ? "not measured in this scenario"
        : `${f0(dl.stored)} stored, ${f0(dl.redriven)} redriven; redrive delivered each once: ${dl.redriveDeliveredOnce === null ? "not checked" : dl.redriveDeliveredOnce ? "yes" : "**no**"}`,
    recover:
      r.timeToRecoverMs !== null
        ? duration(r.timeToRecoverMs)
        : r.faults.length === 0
          ? "not measured (no fault)"
          : "**did not recover** within the run",
    cost:
      r.cost === null
        ? "no fact committed, nothing to price"
        : `$${r.cost.perMillionEvents.toFixed(2)} per million events; this run $${r.cost.run.toFixed(4)} (${r.cost.model})`,
  };
}

const title = (r: GamedayReport) =>
  `Game day: ${r.scenario} — ${VERDICT[r.verdict].mark} ${VERDICT[r.verdict].words}`;

export function renderMarkdown(r: GamedayReport): string {
  const p = prose(r);
  const findings = findingExamples(r.findings);
  const out = [
    `# ${title(r)}`,
    `\`${r.id}\` · seed ${r.seed} · commit \`${r.commit}\` · ${utc(r.startedAt)} · ${duration(r.endedAt - r.startedAt)}`,
    "## Hypothesis",
    `> ${r.hypothesis}`,
    `**Result: ${r.verdict}** — ${p.result}`,
    markdownTable(checkData(r)),
    [
      `- **Steady state:** ${r.steadyState}`,
      "- **Method:**",
      ...r.method.map((m, i) => `  ${i + 1}. ${m}`),
      `- **Abort condition:** ${r.abortCondition}`,
      `- **Rollback:** ${r.rollback}`,
    ].join("\n"),
    "## Timeline",
    markdownTable(timelineData(r)),
    "## Over time",
    `The charts are in report.html (fault windows shaded). In words:\n\n${chartSummaries(r)
      .map((c) => `- **${c.title}** (${c.unit}): ${c.summary}`)
      .join("\n")}`,
    "## Steady state, during the fault, after",
    markdownTable(phaseFigureData(r)),
    "## Flows: what the checker found",
    "Duplicated effects must be 0; a marked figure is a violation.",
    markdownTable(flowData(r, "a fault")),
    markdownTable(invariantData(r)),
    "## Retries and dead letters",
    markdownTable(retryData(r)),
    `Dead letters: ${p.deadLetters}.`,
    "## Recovery and cost",
    `- Time to recover: ${p.recover}\n- Cost on Cloudflare: ${p.cost}`,
    "## Notes",
    r.notes.length === 0 ? "None." : r.notes.map((n) => `- ${n}`).join("\n"),
    `## Findings (${r.findings.length})`,
    findings === "" ? "None." : findings,
  ];
  return `${out.join("\n\n")}\n`;
}

const esc = (s: string) =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
/** Markdown cell text as HTML: escaped, `**x**` marked, `code` as code. */
const inline = (s: string) =>
  esc(s)
    .replace(/\*\*(.+?)\*\*/g, '<strong class="flag">$1</strong>')
    .replace(/`([^`]+)`/g, "<code>$1</code>");

/** Renders table data as HTML; each table of one page gets its own caption id. */
const htmlTables = () => {
  let n = 0;
  return (caption: string, t: TableData) => htmlTable(`table-${++n}`, caption, t);
};

function htmlTable(id: string, caption: string, t: TableData): string {
  const cls = (i: number) => (t.columns[i]?.[1] === "right" ? ' class="num"' : "");
  const head = t.columns.map(([name], i) => `<th scope="col"${cls(i)}>${esc(name)}</th>`).join("");
  const body = t.rows
    .map((row) => `<tr>${row.map((cell, i) => `<td${cls(i)}>${inline(cell)}</td>`).join("")}</tr>`)
    .join("\n");
  const rows = t.rows.length === 0 ? `<tr><td colspan="${t.columns.length}">None.</td></tr>` : body;
  // Wide tables scroll inside their own region, so a phone never scrolls the page sideways.
  return `<div class="table-wrap" role="region" aria-labelledby="${id}" tabindex="0"><table><caption id="${id}"><span>${esc(caption)}</span></caption><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

const asset = (specifier: string) => readFileSync(createRequire(import.meta.url).resolve(specifier), "utf8");
/** Text inlined into a <script> must not close it early. */
const scriptSafe = (s: string) => s.replaceAll("</script", "<\\/script").replaceAll("<!--", "<\\!--");

export function renderHtml(r: GamedayReport): string {
  const htmlTable = htmlTables();
  const p = prose(r);
  const v = VERDICT[r.verdict];
  const faultKey = r.faults
    .map(
      (f) =>
        `<span class="swatch" aria-hidden="true"></span>${esc(f.label)} (t+${clock(f.from - r.startedAt)}–t+${clock(f.to - r.startedAt)})`,
    )
    .join("; ");
  const charts = chartSummaries(r)
    .map((c, i) => {
      const chart = CHARTS[i]!;
      return `<figure class="chart-card" aria-labelledby="chart-${i}-title">
<h3 id="chart-${i}-title">${esc(c.title)} <span class="unit">(${esc(c.unit)})</span></h3>
<div class="chart" data-series="${chart.series}" data-axis="${chart.axis}" aria-hidden="true"></div>
<p class="key">Shaded: ${faultKey || "no fault window"}. Dashed lines: phase changes.</p>
<figcaption>${esc(c.summary)}</figcaption>
</figure>`;
    })
    .join("\n");
  const meta: [string, string][] = [
    ["Run", `<code>${esc(r.id)}</code>`],
    ["Seed", String(r.seed)],
    ["Commit", `<code>${esc(r.commit)}</code>`],
    ["Started", esc(utc(r.startedAt))],
    ["Length", esc(duration(r.endedAt - r.startedAt))],
    ["Time to recover", inline(p.recover)],
    ["Cost on Cloudflare", inline(p.cost)],
  ];
  const findings = findingExamples(r.findings);
  const body = `<header>
<p class="eyebrow">Crossdock game day</p>
<h1>${esc(r.scenario)} <span class="verdict ${r.verdict}">${v.mark} ${esc(v.words)}</span></h1>
<dl class="meta">${meta.map(([k, val]) => `<div><dt>${k}</dt><dd>${val}</dd></div>`).join("")}</dl>
</header>
<main>
<section aria-labelledby="s-hypothesis"><h2 id="s-hypothesis">Hypothesis</h2>
<blockquote class="hypothesis ${r.verdict}"><p>${esc(r.hypothesis)}</p></blockquote>
<p class="result"><strong>Result: ${r.verdict}</strong> — ${inline(p.result)}</p>
${htmlTable(`Checks: ${checksHeld(r)} of ${r.checks.length} held`, checkData(r))}
<dl class="plan">
<dt>Steady state</dt><dd>${esc(r.steadyState)}</dd>
<dt>Method</dt><dd><ol>${r.method.map((m) => `<li>${esc(m)}</li>`).join("")}</ol></dd>
<dt>Abort condition</dt><dd>${esc(r.abortCondition)}</dd>
<dt>Rollback</dt><dd>${esc(r.rollback)}</dd>
</dl>
</section>
<section aria-labelledby="s-time"><h2 id="s-time">Over time</h2>
<div class="charts">
${charts}
</div>
${htmlTable("Timeline: phases and faults (t = time since the start)", timelineData(r))}
</section>
<section aria-labelledby="s-phases"><h2 id="s-phases">Steady state, during the fault, after</h2>
${htmlTable("Figures per phase", phaseFigureData(r))}
</section>
<section aria-labelledby="s-flows"><h2 id="s-flows">Flows: what the checker found</h2>
<p>Duplicated effects must be 0; a marked figure is a violation.</p>
${htmlTable("Per flow: operations and subjects with a finding", flowData(r, "a fault"))}
${htmlTable("Per invariant: subjects checked and violations", invariantData(r))}
</section>
<section aria-labelledby="s-retries"><h2 id="s-retries">Retries and dead letters</h2>
${htmlTable("Retries per consumer", retryData(r))}
<p>Dead letters: ${inline(p.deadLetters)}.</p>
</section>
<section aria-labelledby="s-notes"><h2 id="s-notes">Notes</h2>
${r.notes.length === 0 ? "<p>None.</p>" : `<ul>${r.notes.map((n) => `<li>${inline(n)}</li>`).join("")}</ul>`}
</section>
<section aria-labelledby="s-findings"><h2 id="s-findings">Findings (${r.findings.length})</h2>
${
  findings === ""
    ? "<p>None.</p>"
    : `<ul class="findings">${findings
        .split("\n")
        .map((line) => `<li>${inline(line.replace(/^- /, ""))}</li>`)
        .join("")}</ul>`
}
</section>
</main>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title(r))}</title>
<style>${asset("uplot/dist/uPlot.min.css")}</style>
<style>${readFileSync(join(import.meta.dirname, "report-page.css"), "utf8")}</style>
</head>
<body>
${body}
<script type="application/json" id="gameday-data">${JSON.stringify(r).replaceAll("<", "\\u003c")}</script>
<script>${scriptSafe(asset("uplot/dist/uPlot.iife.min.js"))}</script>
<script>${scriptSafe(readFileSync(join(import.meta.dirname, "report-charts.js"), "utf8"))}</script>
</body>
</html>
`;
}

/**
 * Writes report.md, report.html and report.json into `dir` (created if absent); answers the Markdown,
 * which the harness also records with `POST /ops/gamedays`.
 */
export function writeReport(dir: string, r: GamedayReport): { dir: string; markdown: string } {
  mkdirSync(dir, { recursive: true });
  const markdown = renderMarkdown(r);
  writeFileSync(join(dir, "report.md"), markdown);
  writeFileSync(join(dir, "report.html"), renderHtml(r));
  writeFileSync(join(dir, "report.json"), `${JSON.stringify(r, null, 2)}\n`);
  return { dir, markdown };
}
