import { defineFlow } from "../../platform/events/registry";
import { userRegistered } from "./events";

/** Accounts: sign-up, sessions, API keys. Its fact is a new user; its consumer keeps the sign-up counts. */
export const accountsFlow = defineFlow({
  name: "accounts",
  events: { [userRegistered.type]: userRegistered },
  consumers: {
    "user-stats": {
      description: "Counts sign-ups per day (user_stats).",
      producer: "USER_STATS_QUEUE",
      delivery: { maxBatchSize: 100, maxBatchTimeout: 1, maxRetries: 5, retryDelay: 2 },
      subscribes: [userRegistered.type],
    },
  },
});
