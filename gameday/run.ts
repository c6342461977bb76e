/**
 * `npm run gameday -- <scenario> [options]`: game days against a local Crossdock, each a scenario in
 * gameday/scenarios/ built from the shared runner, runtime control, load driver, sampler and checker in
 * gameday/lib/. Every scenario writes its report to gameday/reports/<run>/ and exits 1 unless its
 * hypothesis held with nothing lost or duplicated.
 */
import { runMain } from "../bench/lib/cli";
import { latestReport, writeGamedaySection } from "./all";
import { COMMON_USAGE, runGameday, type ScenarioDefinition } from "./lib/gameday";
import type { GamedayReport } from "./lib/report-model";
import { backlogRecovery } from "./scenarios/backlog-recovery";
import { consumerFailure, consumerOutage } from "./scenarios/consumer-failure";
import { crash, usage as crashUsage } from "./scenarios/crash";
import { paymentOutage } from "./scenarios/payment-outage";
import { poisonAndRedrive } from "./scenarios/poison-and-redrive";

const scenario = <P>(def: ScenarioDefinition<P>) => ({
  summary: def.summary,
  usage: `npm run gameday -- ${def.name} ${COMMON_USAGE}`,
  run: (args: string[]) => runGameday(def, args),
});

const SCENARIOS: Record<
  string,
  { summary: string; usage: string; run: (args: string[]) => Promise<number> }
> = {
  "consumer-failure": scenario(consumerFailure),
  "consumer-outage": scenario(consumerOutage),
  "backlog-recovery": scenario(backlogRecovery),
  "poison-and-redrive": scenario(poisonAndRedrive),
  "payment-outage": scenario(paymentOutage),
  crash: {
    summary: "SIGKILL the runtime at random moments under mixed load; check nothing acknowledged is lost",
    usage: crashUsage,
    run: crash,
  },
};

/** Every scenario's full run in turn, then the game-day section of docs/BENCHMARKS.md from their reports. */
async function all(args: string[]): Promise<number> {
  let failed = 0;
  const reports: GamedayReport[] = [];
  for (const [name, s] of Object.entries(SCENARIOS)) {
    console.log(`\n=== game day: ${name} ===`);
    const started = Date.now();
    const code = await s.run(args).catch((err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      return 1;
    });
    if (code !== 0) failed++;
    const report = latestReport(name);
    if (report && report.startedAt >= started - 60_000) reports.push(report);
    else console.error(`${name}: no report written`);
  }
  console.log(`game-day section written to ${await writeGamedaySection(reports)}`);
  return failed === 0 ? 0 : 1;
}

function usage(): string {
  const lines = Object.entries(SCENARIOS).map(
    ([name, s]) => `  ${name.padEnd(20)} ${s.summary}\n    ${s.usage.replaceAll("\n", "\n    ")}`,
  );
  return `usage: npm run gameday -- <scenario> [options]\n\nscenarios:\n${lines.join("\n")}\n  all                  every scenario's full run, then the game-day section of docs/BENCHMARKS.md`;
}

const [name, ...args] = process.argv.slice(2);
const chosen = name === "all" ? { run: all } : name ? SCENARIOS[name] : undefined;
if (!chosen) {
  console.error(name ? `unknown scenario '${name}'\n\n${usage()}` : usage());
  process.exitCode = 2;
} else {
  runMain(() => chosen.run(args));
}
