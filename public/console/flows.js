// "Flows at a glance" (/console): a small uPlot chart per consumer, drawn from the minutes of history the
// page carries (`data-history`), and a new point appended with each live `figures` event that
// console.js receives and announces as `console:figures`. Also re-tones the alert badges
// (`data-tone-field`). uPlot is loaded before this module (/vendor/uplot/uPlot.iife.min.js, deferred).

/* global uPlot */

const HEIGHT = 130;
/** Points older than this are dropped as new ones arrive, so a page left open keeps a fixed window. */
const WINDOW_SECONDS = 30 * 60;
const INK = "#3b434b";

// The key above the charts names the series, in order, and its swatches' colours (console's flows.css)
// are the lines' colours: one place says what each colour means.
const series = [...document.querySelectorAll(".chart-key [data-series]")].map((el) => ({
  key: el.getAttribute("data-series"),
  label: el.getAttribute("data-label"),
  stroke: getComputedStyle(el.querySelector(".swatch")).backgroundColor,
}));

/** "17:05": a tick's time of day in UTC, as the page's other times are given. */
const utcMinute = (seconds) => new Date(seconds * 1000).toISOString().slice(11, 16);

const axis = {
  stroke: INK,
  font: "11px system-ui, sans-serif",
  grid: { stroke: "#e6e8eb", width: 1 },
  ticks: { stroke: "#d0d7de", width: 1 },
};

/** @param {HTMLElement} figure */
function drawChart(figure) {
  const history = JSON.parse(figure.getAttribute("data-history") || "{}");
  const data = [history.at.map((ms) => ms / 1000), ...series.map((s) => history[s.key].slice())];
  const plot = figure.querySelector(".flow-chart-plot");
  const chart = new uPlot(
    {
      width: plot.clientWidth,
      height: HEIGHT,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        // Plain seconds rather than uPlot's local-time scale: the page states its times in UTC.
        x: { time: false },
        y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
      },
      axes: [
        {
          ...axis,
          space: 60,
          incrs: [60, 120, 300, 600, 900, 1800, 3600],
          values: (_u, splits) => splits.map(utcMinute),
        },
        {
          ...axis,
          size: 40,
          values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : "")),
        },
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.stroke,
          width: 1.5,
          points: { size: 4, fill: s.stroke },
        })),
      ],
    },
    data,
    plot,
  );
  return { consumer: figure.getAttribute("data-consumer"), chart, data, plot };
}

const charts = [...document.querySelectorAll(".flow-chart")].map(drawChart);
document.documentElement.dataset.flowCharts = String(charts.length);

/** @param {Record<string, string | number>} figures */
function append(figures) {
  const t = Number(figures.at) / 1000;
  for (const c of charts) {
    if (t <= c.data[0][c.data[0].length - 1]) continue;
    c.data[0].push(t);
    for (const [i, s] of series.entries()) {
      const value = figures[`${c.consumer}.${s.key}`];
      c.data[i + 1].push(typeof value === "number" ? value : null);
    }
    while (c.data[0].length > 2 && c.data[0][0] < t - WINDOW_SECONDS)
      for (const column of c.data) column.shift();
    c.chart.setData(c.data);
  }
}

/** @param {Element} root @param {Record<string, string | number>} figures */
function retone(root, figures) {
  for (const el of root.querySelectorAll("[data-tone-field]")) {
    const tone = figures[el.getAttribute("data-tone-field") || ""];
    if (typeof tone === "string") el.className = `badge ${tone}`;
  }
}

let updates = 0;
for (const root of document.querySelectorAll("[data-live]")) {
  root.addEventListener("console:figures", (event) => {
    const figures = /** @type {CustomEvent} */ (event).detail;
    append(figures);
    retone(root, figures);
    // For the browser test (and anyone curious): how many live updates this page has applied.
    document.documentElement.dataset.flowUpdates = String(++updates);
  });
}

window.addEventListener("resize", () => {
  for (const c of charts) c.chart.setSize({ width: c.plot.clientWidth, height: HEIGHT });
});
