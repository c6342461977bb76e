import { billed, diffFlows, EXCLUDED_FLOWS, type Snapshot } from "../../bench/costs/measure";
import { costOf, totalDollars } from "../../src/platform/costs/model";
import { PRICES_READ_ON } from "../../src/platform/costs/prices";
import type { GamedayReport } from "./report-model";

/**
 * What the run cost on Cloudflare's unit prices: the runtime's own counters (GET /ops/costs) read
 * before and after it, every flow but the excluded ones. Null when the run committed no fact.
 */
export function runCost(before: Snapshot, after: Snapshot): GamedayReport["cost"] {
  const usage = billed(diffFlows(before, after));
  if (usage.facts === 0) return null;
  const run = totalDollars(costOf(usage));
  return {
    perMillionEvents: (run / usage.facts) * 1_000_000,
    run,
    currency: "USD",
    model:
      `per million facts committed; unit prices of ${PRICES_READ_ON}, operations counted by /ops/costs in ` +
      `the isolate that answered; CPU, storage and ${Object.keys(EXCLUDED_FLOWS).join(", ")} left out`,
  };
}
