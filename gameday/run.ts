/**
 * `npm run gameday -- <scenario> [options]`: game days against a local Crossdock, each a scenario in
 * gameday/scenarios/ built from the shared runtime control, load driver and checker in gameday/lib/.
 */
import { runMain } from "../bench/lib/cli";
import { crash, usage as crashUsage } from "./scenarios/crash";

const SCENARIOS: Record<
  string,
  { summary: string; usage: string; run: (args: string[]) => Promise<number> }
> = {
  crash: {
    summary: "SIGKILL the runtime at random moments under mixed load; check nothing acknowledged is lost",
    usage: crashUsage,
    run: crash,
  },
};

function usage(): string {
  const lines = Object.entries(SCENARIOS).map(
    ([name, s]) => `  ${name.padEnd(10)} ${s.summary}\n    ${s.usage.replaceAll("\n", "\n    ")}`,
  );
  return `usage: npm run gameday -- <scenario> [options]\n\nscenarios:\n${lines.join("\n")}`;
}

const [name, ...args] = process.argv.slice(2);
const scenario = name ? SCENARIOS[name] : undefined;
if (!scenario) {
  console.error(name ? `unknown scenario '${name}'\n\n${usage()}` : usage());
  process.exitCode = 2;
} else {
  runMain(() => scenario.run(args));
}
