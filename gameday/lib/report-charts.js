/*
 * The game-day report page's charts, run in the browser: uPlot (inlined before this script) draws each
 * `.chart` from the report JSON in #gameday-data. Fault windows are shaded and phase changes marked on
 * every chart, beneath the grid and the lines. A plain script, not a module, so the page works from
 * file:// with no server.
 */
(() => {
  const report = JSON.parse(document.getElementById("gameday-data").textContent);
  const t0 = report.startedAt;
  const sec = (ms) => (ms - t0) / 1000;
  const xs = report.series.t.map(sec);
  // Okabe–Ito: tells consumers apart for colour-blind readers; no red, which is the fault's.
  const COLORS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#000000"];
  const FAULT_FILL = "rgba(214, 39, 40, 0.14)";
  const INK = "#3b434b";
  const px = uPlot.pxRatio;

  const clock = (s) => {
    const whole = Math.round(Math.abs(s));
    return `${s < 0 ? "−" : ""}${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
  };
  const num = (v) => {
    if (v === null || v === undefined) return "—";
    if (Math.abs(v) >= 100 || Number.isInteger(v)) return Math.round(v).toLocaleString("en-US");
    return String(Math.round(v * 10) / 10);
  };

  /** Shades the fault windows and marks the phases; records the shaded rects for the browser test. */
  function drawWindows(u) {
    const { ctx } = u;
    const { left, top, width, height } = u.bbox;
    const right = left + width;
    const x = (ms) => u.valToPos(sec(ms), "x", true);
    const rects = [];
    ctx.save();
    ctx.fillStyle = FAULT_FILL;
    for (const f of report.faults) {
      const a = Math.max(left, x(f.from));
      const b = Math.min(right, x(f.to));
      if (b <= a) continue;
      ctx.fillRect(a, top, b - a, height);
      rects.push({ left: a, right: b, top, bottom: top + height, label: f.label });
    }
    ctx.strokeStyle = "#8c959f";
    ctx.lineWidth = px;
    ctx.setLineDash([4 * px, 3 * px]);
    for (const p of report.phases.slice(1)) {
      const a = Math.round(x(p.from)) + 0.5;
      if (a <= left || a >= right) continue;
      ctx.beginPath();
      ctx.moveTo(a, top);
      ctx.lineTo(a, top + height);
      ctx.stroke();
    }
    ctx.restore();
    u.root.dataset.faultRects = JSON.stringify(rects);
  }

  /** Names the phases along the top, over the grid, each where it fits. */
  function labelPhases(u) {
    const { ctx } = u;
    const { left, top, width } = u.bbox;
    const x = (ms) => u.valToPos(sec(ms), "x", true);
    ctx.save();
    ctx.font = `${11 * px}px system-ui, sans-serif`;
    // The axes leave their own alignment on the context.
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    for (const p of report.phases) {
      const from = Math.max(left, x(p.from)) + 4 * px;
      const w = ctx.measureText(p.label).width;
      if (Math.min(left + width, x(p.to)) - from < w + 4 * px) continue;
      ctx.fillStyle = "rgba(255, 255, 255, 0.85)";
      ctx.fillRect(from - 2 * px, top + 2 * px, w + 4 * px, 14 * px);
      ctx.fillStyle = INK;
      ctx.fillText(p.label, from, top + 3 * px);
    }
    ctx.restore();
  }

  const heightFor = (width) => Math.round(Math.max(220, Math.min(270, width * 0.5)));

  function draw(el) {
    const data = report.series[el.dataset.series] || {};
    const names = Object.keys(data);
    const width = el.clientWidth;
    const opts = {
      width,
      height: heightFor(width),
      legend: { live: false },
      cursor: { y: false },
      scales: {
        x: { time: false },
        // Headroom above the highest line for the phase names.
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.2 : 1] },
      },
      axes: [
        {
          stroke: INK,
          grid: { stroke: "#e6e8eb" },
          ticks: { stroke: "#d0d7de" },
          values: (_u, splits) => splits.map(clock),
          label: "time since start (m:ss)",
          // Round steps of a clock: 15 s, 30 s, 1 min … rather than uPlot's decimal ones.
          incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200],
          labelSize: 18,
          labelFont: "12px system-ui, sans-serif",
          font: "11px system-ui, sans-serif",
          space: 56,
        },
        {
          stroke: INK,
          grid: { stroke: "#e6e8eb" },
          ticks: { stroke: "#d0d7de" },
          values: (_u, splits) => splits.map(num),
          label: el.dataset.axis,
          labelSize: 18,
          labelFont: "12px system-ui, sans-serif",
          font: "11px system-ui, sans-serif",
          size: 52,
        },
      ],
      series: [
        { label: "t", value: (_u, v) => clock(v) },
        ...names.map((name, i) => ({
          label: name,
          stroke: COLORS[i % COLORS.length],
          width: 2,
          spanGaps: false,
          points: { show: false },
          value: (_u, v) => num(v),
        })),
      ],
      hooks: { drawClear: [drawWindows], draw: [labelPhases] },
    };
    const u = new uPlot(opts, [xs, ...names.map((n) => data[n])], el);
    let last = width;
    new ResizeObserver(() => {
      const w = el.clientWidth;
      if (w > 0 && w !== last) {
        last = w;
        u.setSize({ width: w, height: heightFor(w) });
      }
    }).observe(el);
    return u;
  }

  const drawn = [...document.querySelectorAll(".chart[data-series]")].map(draw);
  document.documentElement.dataset.chartsDrawn = String(drawn.length);
})();
