/** The game day's report: tables for the terminal, the whole run as JSON for later reading. */
import { table } from "../../bench/lib/markdown";
import type { CheckResult, Finding } from "./check";
import type { Quiescence, Recovery } from "./quiescence";

const s = (ms: number | null) => (ms === null ? "—" : `${(ms / 1000).toFixed(1)} s`);
const n = (x: number) => String(x);

export function flowTable(result: CheckResult): string {
  return table(
    [
      ["flow"],
      ["acked", "right"],
      ["rejected", "right"],
      ["indeterminate", "right"],
      ["in flight at a kill", "right"],
      ["recovered", "right"],
      ["lost", "right"],
      ["duplicated", "right"],
      ["unexpected", "right"],
    ],
    result.flows.map((f) => [
      f.flow,
      n(f.acked),
      n(f.rejected),
      n(f.indeterminate),
      n(f.inFlightAtKill),
      n(f.recovered),
      n(f.lost),
      n(f.duplicated),
      n(f.unexpected),
    ]),
  );
}

export function invariantTable(result: CheckResult): string {
  return table(
    [["flow"], ["invariant"], ["checked", "right"], ["violations", "right"]],
    result.invariants.map((i) => [
      i.flow,
      i.invariant,
      n(i.checked),
      i.violations === 0 ? "0" : `**${i.violations}**`,
    ]),
  );
}

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
  return `${q.verdict} after ${s(q.waitedMs)} (last change ${s(q.lastChangeAfterMs)} after the load; ${q.nonTerminalOrders} orders not terminal)`;
}
