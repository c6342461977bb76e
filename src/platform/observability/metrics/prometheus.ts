/**
 * The Prometheus text exposition format (version 0.0.4): one `# HELP` and one `# TYPE` line per metric
 * family, then its samples. Pure, so what /ops/metrics prints is tested without a database.
 *
 * @example
 * formatPrometheus([{ name: "jobs_total", help: "Jobs run.", type: "counter",
 *   samples: [{ labels: { queue: "email" }, value: 3 }] }]);
 * // # HELP jobs_total Jobs run.\n# TYPE jobs_total counter\njobs_total{queue="email"} 3\n
 */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export type MetricType = "counter" | "gauge" | "histogram";
export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  labels?: Labels;
  value: number;
  /** Histogram series are the family name plus `_bucket`, `_sum` or `_count`. */
  suffix?: "_bucket" | "_sum" | "_count";
}

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples: readonly Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Label values escape backslash, double quote and line feed. */
export const escapeLabelValue = (v: string): string =>
  v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");

/** HELP text escapes backslash and line feed (quotes are legal there). */
const escapeHelp = (v: string): string => v.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");

/** Go-style float text: `+Inf`, `-Inf`, `NaN`, otherwise the shortest round-tripping decimal. */
export function formatValue(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Number.POSITIVE_INFINITY) return "+Inf";
  if (n === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(n);
}

function formatLabels(labels: Labels | undefined): string {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return "";
  for (const [k] of entries) {
    if (!LABEL_NAME.test(k) || k.startsWith("__")) throw new Error(`invalid label name '${k}'`);
  }
  return `{${entries.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(",")}}`;
}

/** Renders metric families in order; a family without samples keeps its HELP and TYPE lines. */
export function formatPrometheus(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const f of families) {
    if (!METRIC_NAME.test(f.name)) throw new Error(`invalid metric name '${f.name}'`);
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      lines.push(`${f.name}${s.suffix ?? ""}${formatLabels(s.labels)} ${formatValue(s.value)}`);
    }
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/**
 * The samples of one histogram series: a cumulative `_bucket` per upper bound (`le`), the `+Inf`
 * bucket (always equal to the count), `_sum` and `_count`.
 *
 * @example
 * histogramSamples({ consumer: "email" }, [{ le: 0.1, count: 2 }, { le: 1, count: 3 }], 1.7, 4);
 */
export function histogramSamples(
  labels: Labels,
  buckets: readonly { le: number; count: number }[],
  sum: number,
  count: number,
): Sample[] {
  return [
    ...buckets.map((b) => ({
      labels: { ...labels, le: formatValue(b.le) },
      value: b.count,
      suffix: "_bucket" as const,
    })),
    { labels: { ...labels, le: "+Inf" }, value: count, suffix: "_bucket" },
    { labels, value: sum, suffix: "_sum" },
    { labels, value: count, suffix: "_count" },
  ];
}
