import type { RuleSource } from "../../../flows/ops/alert-rules";
import { ageSeconds } from "../../../platform/observability/metrics/crossdock-metrics";
import type { FlowFigures, RuleFigures } from "./figures";

/**
 * The page's figures as one flat object, key → what an element with `data-field="<key>"` shows: the
 * server renders the page from it and the live stream sends it as each `figures` event, so the first
 * paint and every update are formatted by the same code. Counts stay numbers (the charts plot them).
 */
export type LiveFields = Record<string, string | number>;

/** The series each consumer's chart plots, by the key suffix its figures carry (`<consumer>.<key>`). */
export const CHART_SERIES = [
  { key: "backlog", label: "Backlog" },
  { key: "acked", label: "Acked / min" },
  { key: "failures", label: "Failures / min" },
  { key: "deadLetters", label: "Dead letters" },
] as const;

export type ChartKey = (typeof CHART_SERIES)[number]["key"];

/** "42 s", "3 min 5 s", "2 h 4 min", "3 d 2 h"; "—" when there is nothing to age. */
export function formatAge(since: number | null, now: number): string {
  if (since === null) return "—";
  const s = ageSeconds(since, now);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

/** "2026-12-05 16:42:03 UTC": the console's operators may be anywhere, the logs are in UTC. */
export const formatTime = (ms: number) => `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;

export type RuleTone = "danger" | "warn" | "ok";

/** Firing (an alert is raised), above its threshold (the next evaluation raises one), or ok. */
export function ruleState(r: RuleFigures): { state: string; tone: RuleTone } {
  if (r.firingSince !== null) return { state: "firing", tone: "danger" };
  return r.firing ? { state: "above threshold", tone: "warn" } : { state: "ok", tone: "ok" };
}

/** Where a backlog figure was read, in the words of the page's note on it. */
export const SOURCE_LABELS: Record<RuleSource, string> = {
  queue: "from the queue",
  crossdock: "from Crossdock's tables",
  mixed: "from the queues, some from Crossdock's tables",
};

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

export function liveFields(f: FlowFigures): LiveFields {
  const fields: LiveFields = {
    at: f.at,
    updated: formatTime(f.at),
    "outbox.unpublished": f.outbox.unpublished,
    "outbox.oldest": formatAge(f.outbox.oldestCreatedAt, f.at),
    "total.backlog": sum(f.consumers.map((c) => c.backlog)),
    "total.acked": sum(f.consumers.map((c) => c.ackedPerMinute)),
    "total.failures": sum(f.consumers.map((c) => c.failuresPerMinute)),
    "total.deadLetters": sum(f.consumers.map((c) => c.deadLetters)),
    "alerts.firing": f.rules.filter((r) => r.firingSince !== null).length,
  };
  for (const c of f.consumers) {
    const chart: Record<ChartKey, number> = {
      backlog: c.backlog,
      acked: c.ackedPerMinute,
      failures: c.failuresPerMinute,
      deadLetters: c.deadLetters,
    };
    for (const [key, value] of Object.entries(chart)) fields[`${c.consumer}.${key}`] = value;
    fields[`${c.consumer}.oldest`] = formatAge(c.oldestUnackedAt, f.at);
    fields[`${c.consumer}.backlogSource`] = SOURCE_LABELS[c.backlogSource];
    fields[`${c.consumer}.failuresTotal`] = c.failures;
    fields[`${c.consumer}.retriesTotal`] = c.retries;
  }
  for (const r of f.rules) {
    const { state, tone } = ruleState(r);
    fields[`alert.${r.rule}.value`] = r.value;
    fields[`alert.${r.rule}.source`] = SOURCE_LABELS[r.source];
    fields[`alert.${r.rule}.state`] = state;
    fields[`alert.${r.rule}.tone`] = tone;
    fields[`alert.${r.rule}.since`] = r.firingSince === null ? "—" : formatTime(r.firingSince);
  }
  return fields;
}
