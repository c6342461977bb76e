/** The game day's report: tables for the terminal, the whole run as JSON for later reading. */
import { type Column, table } from "../../bench/lib/markdown";
import type { CheckResult, Finding } from "./check";
import type { Quiescence, Recovery } from "./quiescence";

const s = (ms: number | null) => (ms === null ? "—" : `${(ms / 1000).toFixed(1)} s`);
const n = (x: number) => String(x);
/** A count that must be 0, marked when it is not. */
const zero = (x: number) => (x === 0 ? "0" : `**${x}**`);

/** A table's columns and cells: written as Markdown here, as HTML by report-render.ts. */
export interface TableData {
  columns: Column[];
  /** Cells as Markdown text (`**n**` marks a figure to look at). */
  rows: string[][];
}

export const markdownTable = (t: TableData): string => table(t.columns, t.rows);

/** Per flow, the checker's counts; `fault` names what the operations were in flight at. */
export function flowData(result: Pick<CheckResult, "flows">, fault = "a kill"): TableData {
  return {
    columns: [
      ["flow"],
      ["acked", "right"],
      ["rejected", "right"],
      ["indeterminate", "right"],
      [`in flight at ${fault}`, "right"],
      ["recovered", "right"],
      ["lost", "right"],
      ["duplicated", "right"],
      ["unexpected", "right"],
    ],
    rows: result.flows.map((f) => [
      f.flow,
      n(f.acked),
      n(f.rejected),
      n(f.indeterminate),
      n(f.inFlightAtKill),
      n(f.recovered),
      zero(f.lost),
      zero(f.duplicated),
      zero(f.unexpected),
    ]),
  };
}

export const flowTable = (result: Pick<CheckResult, "flows">): string => markdownTable(flowData(result));

export function invariantData(result: Pick<CheckResult, "invariants">): TableData {
  return {
    columns: [["flow"], ["invariant"], ["checked", "right"], ["violations", "right"]],
    rows: result.invariants.map((i) => [i.flow, i.invariant, n(i.checked), zero(i.violations)]),
  };
}

export const invariantTable = (result: Pick<CheckResult, "invariants">): string =>
  markdownTable(invariantData(result));

export function recoveryTable(recoveries: Recovery[]): string {
  return table(
    [
      ["kill"],
      ["down (kill → healthy)", "right"],
      ["orders in flight", "right"],
      ["recovered", "right"],
      ["first order final after", "right"],
      ["all in flight final after", "right"],
    ],
    recoveries.map((r) => [
      `#${r.kill}`,
      s(r.downtimeMs),
      n(r.inFlight),
      n(r.recovered),
      s(r.firstProgressMs),
      r.drainMs === null
        ? r.inFlight === 0
          ? "—"
          : `never (${r.inFlight - r.recovered} lost)`
        : s(r.drainMs),
    ]),
  );
}

/** The first few findings of each invariant, so a long run's report stays readable. */
export function findingExamples(findings: Finding[], perInvariant = 3): string {
  const shown = new Map<string, number>();
  const lines: string[] = [];
  for (const f of findings) {
    const key = `${f.flow}/${f.invariant}`;
    const k = shown.get(key) ?? 0;
    shown.set(key, k + 1);
    if (k < perInvariant) lines.push(`- [${f.kind}] ${key}: ${f.subject}: ${f.detail}`);
    else if (k === perInvariant) lines.push(`- … more under ${key} (see the JSON report)`);
  }
  return lines.join("\n");
}

export function quiescenceLine(q: Quiescence): string {
  return `${q.verdict} after ${s(q.waitedMs)} (last change ${s(q.lastChangeAfterMs)} after the load; ${q.nonTerminalOrders} orders not terminal, ${q.owedDeliveries} deliveries owed)`;
}
