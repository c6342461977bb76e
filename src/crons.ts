import { SETTLEMENT_CRON } from "./flows/settlements/config";

/**
 * Every cron trigger, by the work it starts (src/index.ts dispatches on the expression). wrangler.toml's
 * `[triggers] crons` must list exactly these: test/contract/wrangler-config.test.ts fails on any other.
 */
export const CRONS = {
  /** Outbox sweep and delivery reconciliation, prunes, stuck orders, alert rules. */
  maintenance: "* * * * *",
  /** Settles the previous UTC day. */
  settlements: SETTLEMENT_CRON,
} as const;
