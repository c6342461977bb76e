import { describe, expect, it } from "vitest";
import {
  escapeLabelValue,
  formatPrometheus,
  formatValue,
  histogramSamples,
} from "../../../../../src/platform/observability/metrics/prometheus";

describe("formatPrometheus", () => {
  it("writes HELP and TYPE before each family's samples, with a trailing newline", () => {
    const text = formatPrometheus([
      {
        name: "jobs_total",
        help: "Jobs run.",
        type: "counter",
        samples: [
          { labels: { queue: "email", outcome: "acked" }, value: 3 },
          { labels: { queue: "stats", outcome: "acked" }, value: 0 },
        ],
      },
      { name: "backlog", help: "Waiting.", type: "gauge", samples: [{ value: 1.5 }] },
    ]);
    expect(text).toBe(
      [
        "# HELP jobs_total Jobs run.",
        "# TYPE jobs_total counter",
        'jobs_total{queue="email",outcome="acked"} 3',
        'jobs_total{queue="stats",outcome="acked"} 0',
        "# HELP backlog Waiting.",
        "# TYPE backlog gauge",
        "backlog 1.5",
        "",
      ].join("\n"),
    );
  });

  it("keeps HELP and TYPE of a family without samples, and prints nothing for no families", () => {
    expect(formatPrometheus([{ name: "quiet", help: "h", type: "gauge", samples: [] }])).toBe(
      "# HELP quiet h\n# TYPE quiet gauge\n",
    );
    expect(formatPrometheus([])).toBe("");
  });

  it("escapes label values and help text", () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const text = formatPrometheus([
      {
        name: "m",
        help: 'line one\nsays "hi" \\ bye',
        type: "gauge",
        samples: [{ labels: { type: 'we"ird\\\n' }, value: 1 }],
      },
    ]);
    expect(text).toContain('# HELP m line one\\nsays "hi" \\\\ bye\n');
    expect(text).toContain('m{type="we\\"ird\\\\\\n"} 1\n');
    // Each sample stays on one line whatever its labels hold.
    expect(text.trimEnd().split("\n")).toHaveLength(3);
  });

  it("refuses invalid metric and label names", () => {
    expect(() => formatPrometheus([{ name: "bad-name", help: "", type: "gauge", samples: [] }])).toThrow();
    expect(() =>
      formatPrometheus([
        { name: "ok", help: "", type: "gauge", samples: [{ labels: { "a-b": "x" }, value: 1 }] },
      ]),
    ).toThrow();
    expect(() =>
      formatPrometheus([
        { name: "ok", help: "", type: "gauge", samples: [{ labels: { __name: "x" }, value: 1 }] },
      ]),
    ).toThrow();
  });

  it("formats special values as Prometheus does", () => {
    expect(formatValue(Number.POSITIVE_INFINITY)).toBe("+Inf");
    expect(formatValue(Number.NEGATIVE_INFINITY)).toBe("-Inf");
    expect(formatValue(Number.NaN)).toBe("NaN");
    expect(formatValue(0.05)).toBe("0.05");
    expect(formatValue(300)).toBe("300");
  });
});

describe("histogramSamples", () => {
  it("writes cumulative buckets, +Inf equal to the count, then _sum and _count", () => {
    const text = formatPrometheus([
      {
        name: "lag_seconds",
        help: "Lag.",
        type: "histogram",
        samples: histogramSamples(
          { consumer: "email" },
          [
            { le: 0.1, count: 2 },
            { le: 1, count: 3 },
          ],
          1.75,
          4,
        ),
      },
    ]);
    expect(text.split("\n").slice(2, -1)).toEqual([
      'lag_seconds_bucket{consumer="email",le="0.1"} 2',
      'lag_seconds_bucket{consumer="email",le="1"} 3',
      'lag_seconds_bucket{consumer="email",le="+Inf"} 4',
      'lag_seconds_sum{consumer="email"} 1.75',
      'lag_seconds_count{consumer="email"} 4',
    ]);
  });
});
