// A product's daily figures as lines, drawn with uPlot (vendored at /vendor/uplot/) from the table the
// page already shows: the table is the data and the page's content; without script it is all there is.

const box = document.getElementById("analytics-chart");
const rows = [...document.querySelectorAll("#analytics-days tr[data-day]")];
const SERIES = [
  ["views", "Views", "#0b57d0"],
  ["addToCarts", "Added to cart", "#146c2e"],
  ["removesFromCart", "Removed from cart", "#7a4f01"],
  ["checkoutsStarted", "Checkouts started", "#a50e0e"],
];

if (box && rows.length > 0 && "uPlot" in window) {
  const { uPlot } = window;
  const xs = rows.map((row) => Date.parse(`${row.dataset.day}T00:00:00Z`) / 1000);
  const ys = SERIES.map(([key]) => rows.map((row) => Number(row.dataset[key])));
  new uPlot(
    {
      width: Math.max(box.clientWidth, 320),
      // Labels only: the table below holds the values, so the legend need not follow the cursor.
      legend: { live: false },
      height: 300,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
      scales: { y: { range: (_u, _min, max) => [0, Math.max(max, 1)] } },
      axes: [{}, { values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : "")) }],
      series: [
        { label: "Day" },
        ...SERIES.map(([, label, stroke]) => ({ label, stroke, width: 2, points: { size: 5 } })),
      ],
    },
    [xs, ...ys],
    box,
  );
}
