import { z } from "zod";

/**
 * What `npm run bench:d1` writes as `ceiling` in bench/.results/d1-writes.json (bench/d1-writes/knee.ts),
 * as much of it as capacity needs. Read by shape, not by import: the script must not depend on the
 * bench's code, only on the file the bench leaves behind.
 */
const MeasuredRun = z.object({
  ceiling: z.object({
    rowsPerS: z.number().positive(),
    flow: z.string(),
    basis: z.string(),
    estimate: z.object({ interval: z.object({ low: z.number(), high: z.number() }).nullable() }),
  }),
  machine: z.object({ gitCommit: z.string(), date: z.string() }),
  config: z.object({ smoke: z.boolean() }),
  judgement: z.object({ quiet: z.boolean() }),
});

export interface MeasuredCeiling {
  rowsPerS: number;
  /** One line for the plan: where the figure came from and what it is not. */
  source: string;
}

/**
 * The D1 write ceiling a `bench:d1` run measured, from its results file's text; throws with the reason
 * when the text is not such a run. A smoke run is refused: its windows are too short to size shards on.
 *
 * @example ceilingFromResults(readFileSync("bench/.results/d1-writes.json", "utf8"), "bench/.results/d1-writes.json")
 */
export function ceilingFromResults(text: string, path: string): MeasuredCeiling {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not JSON`);
  }
  const parsed = MeasuredRun.safeParse(json);
  if (!parsed.success) throw new Error(`${path} is not a bench:d1 result (no positive ceiling.rowsPerS)`);
  const { ceiling, machine, config, judgement } = parsed.data;
  if (config.smoke) throw new Error(`${path} is a smoke run; run \`npm run bench:d1\` in full`);
  const interval = ceiling.estimate.interval;
  const range = interval ? ` [${Math.round(interval.low)}, ${Math.round(interval.high)}]` : "";
  return {
    rowsPerS: ceiling.rowsPerS,
    source:
      `measured by bench:d1 at commit ${machine.gitCommit} on ${machine.date.slice(0, 10)}${range}, ${ceiling.basis}` +
      `${judgement.quiet ? "" : ", on a busy machine"}; local SQLite, an upper bound for the D1 service`,
  };
}
