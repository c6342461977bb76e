import type { RatioEstimate, RatioTarget } from "./intervals";

/** Number formats and tables shared by the terminal summary and docs/BENCHMARKS.md. */

export const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a");
export const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "n/a");
/** Ratios to three decimals, so a value just past a target (1.203 against ≤ 1.2) does not print as on it. */
export const times = (n: number) => (Number.isFinite(n) ? `${n.toFixed(3)}×` : "n/a");
/** A ratio's 95% interval, e.g. `[0.825, 0.875]`. */
export const intervalText = ({ interval: i }: RatioEstimate) =>
  i === null ? "[no interval]" : `[${i.low.toFixed(3)}, ${i.high.toFixed(3)}]`;
/** A ratio with its 95% interval, e.g. `0.850× [0.825, 0.875]`. */
export const timesWithInterval = (e: RatioEstimate) => `${times(e.ratio)} ${intervalText(e)}`;
export const targetText = (t: RatioTarget) => `${t.bound === "at least" ? "≥" : "≤"} ${t.value}×`;
export const micros = (n: number | null) => (n === null ? "n/a" : `${f0(n)} µs`);

export type Align = "left" | "right";
export type Column = [title: string, align?: Align];

/**
 * A Markdown table with padded, aligned columns: what the project's formatter (biome) would write, so the
 * generated report passes `biome check` as it is, and reads as well in a terminal.
 */
export function table(columns: Column[], rows: string[][]): string {
  const widths = columns.map(([title], i) =>
    Math.max(3, title.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const pad = (cell: string, i: number) =>
    columns[i]?.[1] === "right" ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!);
  const line = (cells: string[]) => `| ${cells.map(pad).join(" | ")} |`;
  const rule = widths.map((w, i) => (columns[i]?.[1] === "right" ? `${"-".repeat(w - 1)}:` : "-".repeat(w)));
  return [line(columns.map(([title]) => title)), `| ${rule.join(" | ")} |`, ...rows.map(line)].join("\n");
}
