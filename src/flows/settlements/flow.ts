import { defineFlow } from "../../platform/events/registry";
import { CHECKOUT_EVENTS } from "../checkout/events";
import { SETTLEMENT_CRON } from "./config";
import { SETTLEMENT_EVENTS } from "./events";

/** Settlements: what each merchant is owed per day, paid out with a statement. */
export const settlementsFlow = defineFlow({
  name: "settlements",
  events: SETTLEMENT_EVENTS,
  // 00:10 UTC daily: settle the previous UTC day.
  crons: { "settle-yesterday": SETTLEMENT_CRON },
  consumers: {
    "settlement-entries": {
      description:
        "Records each merchant's sale and refund entries (the settlement read model) from order facts.",
      producer: "SETTLEMENT_ENTRIES_QUEUE",
      delivery: { maxBatchSize: 100, maxBatchTimeout: 1, maxRetries: 10, retryDelay: 2 },
      subscribes: [CHECKOUT_EVENTS["order.confirmed"].type, CHECKOUT_EVENTS["order.refunded"].type],
    },
    settlements: {
      description: "Settles one merchant's period: ledger, payout, CSV statement, `settlement.completed`.",
      producer: "SETTLEMENTS_QUEUE",
      delivery: { maxBatchSize: 5, maxBatchTimeout: 1, maxRetries: 10, retryDelay: 5 },
      subscribes: [SETTLEMENT_EVENTS["settlement.opened"].type],
    },
  },
});
