// The Costs page's chart: each flow's dollars per million facts as bars, drawn with uPlot (vendored at
// /vendor/uplot/) from the Flows table the page already shows. The table is the data and stays the
// page's content; without script it is all there is.

const box = document.getElementById("cost-chart");
const rows = [...document.querySelectorAll("#cost-flows tbody tr[data-name]")].filter(
  (row) => row.getAttribute("data-per-million") !== "",
);

if (box && rows.length > 0 && "uPlot" in window) {
  const { uPlot } = window;
  const names = rows.map((row) => row.getAttribute("data-name") ?? "");
  const values = rows.map((row) => Number(row.getAttribute("data-per-million")));
  const xs = names.map((_, i) => i);
  const dollars = new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: "USD",
    maximumSignificantDigits: 3,
  });
  new uPlot(
    {
      width: Math.min(Math.max(box.clientWidth, 320), 960),
      height: 260,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: [-0.5, names.length - 0.5] },
        y: { range: (_u, _min, max) => [0, max || 1] },
      },
      axes: [
        {
          splits: () => xs,
          values: (_u, splits) => splits.map((i) => names[i] ?? ""),
          grid: { show: false },
        },
        { values: (_u, splits) => splits.map((v) => dollars.format(v)), size: 80 },
      ],
      series: [
        {},
        {
          label: "Dollars per 1M facts",
          stroke: "#0b57d0",
          fill: "rgba(11, 87, 208, 0.35)",
          paths: uPlot.paths.bars({ size: [0.6, 80] }),
          points: { show: false },
        },
      ],
    },
    [xs, values],
    box,
  );
}
