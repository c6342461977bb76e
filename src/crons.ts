import { FLOWS } from "./flows";

/** The backbone's own cron: outbox sweep and delivery reconciliation, prunes, stuck orders, alert rules. */
export const MAINTENANCE_CRON = "* * * * *";

/**
 * Every cron trigger: the backbone's maintenance and each flow's own (declared in its flow.ts, run by its
 * entry in src/entry-points.ts). wrangler.toml's `[triggers] crons` must list exactly these:
 * test/contract/wrangler-config.test.ts fails on any other.
 */
export const CRON_EXPRESSIONS: readonly string[] = [
  MAINTENANCE_CRON,
  ...FLOWS.flatMap((flow) => Object.values("crons" in flow ? flow.crons : {})),
];
