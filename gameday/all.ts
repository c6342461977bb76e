/**
 * `npm run gameday -- all`: every scenario's full run, one after another at one commit, and the
 * game-day section of docs/BENCHMARKS.md rewritten from their reports — so the figures there always come
 * from one run of one version. Scenarios start their own runtimes, so nothing else may hold their ports.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { GAMEDAYS_MARKERS, readIfExists, withSection } from "../bench/lib/doc-sections";
import { machineFacts } from "../bench/lib/machine";
import { table } from "../bench/lib/markdown";
import type { GamedayReport } from "./lib/report-model";

const ROOT = join(import.meta.dirname, "..");

const s = (ms: number | null) => (ms === null ? "—" : `${(ms / 1000).toFixed(1)} s`);

/** The newest report of `scenario` in gameday/reports/ (run ids sort by their start time). */
export function latestReport(scenario: string): GamedayReport | null {
  const dir = join(ROOT, "gameday", "reports");
  const runs = readdirSync(dir)
    .filter((d) => d.startsWith(`${scenario}-`) && existsSync(join(dir, d, "report.json")))
    .sort();
  const last = runs.at(-1);
  return last ? (JSON.parse(readFileSync(join(dir, last, "report.json"), "utf8")) as GamedayReport) : null;
}

export function gamedaySection(reports: GamedayReport[]): string {
  const commits = [...new Set(reports.map((r) => r.commit))];
  const m = machineFacts(ROOT);
  const summary = table(
    [
      ["scenario"],
      ["verdict"],
      ["checks held", "right"],
      ["lost / duplicated / unexpected", "right"],
      ["time to recover", "right"],
      ["run"],
    ],
    reports.map((r) => {
      const t = r.flows.reduce(
        (a, f) => [a[0]! + f.lost, a[1]! + f.duplicated, a[2]! + f.unexpected],
        [0, 0, 0],
      );
      return [
        r.scenario,
        r.verdict === "held" ? "held" : `**${r.verdict}**`,
        `${r.checks.filter((c) => c.held).length}/${r.checks.length}`,
        t.join(" / "),
        s(r.timeToRecoverMs),
        `${s(r.endedAt - r.startedAt)}, seed ${r.seed}`,
      ];
    }),
  );
  const details = reports
    .map((r) => {
      const checks = table(
        [["check"], ["expected"], ["actual"], ["held"]],
        r.checks.map((c) => [c.name, c.expected, c.actual, c.held ? "yes" : "**no**"]),
      );
      const notes = r.notes
        .filter((n) => !n.startsWith("Runtime:") && !n.includes("\n"))
        .map((n) => `- ${n}`);
      return `### ${r.scenario}\n\n${r.hypothesis}\n\n${checks}\n\n${notes.join("\n")}\n\nReport: \`gameday/reports/${r.id}/report.html\` (git-ignored; re-run with \`--seed ${r.seed}\`).`;
    })
    .join("\n\n");
  return `## Game days

Full runs of every scenario (\`npm run gameday -- all\`), one after another at ${commits.map((c) => `\`${c}\``).join(", ")}
on ${m.cpuModel} (${m.nproc} cores), Node ${m.node}, ${new Date(reports[0]?.startedAt ?? Date.now()).toISOString().slice(0, 10)}
(load average ${m.loadAverage.map((x) => x.toFixed(1)).join(" / ")} when the section was written). Each
started its own local runtime. How to run and read them: docs/OPERATIONS.md, Game days.

${summary}

${details}`;
}

export async function writeGamedaySection(reports: GamedayReport[]): Promise<string> {
  const path = join(ROOT, "docs", "BENCHMARKS.md");
  const doc = await readIfExists(path);
  writeFileSync(path, withSection(doc, gamedaySection(reports), GAMEDAYS_MARKERS));
  return relative(ROOT, path);
}
