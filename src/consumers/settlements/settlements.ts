import { settlePeriod } from "../../flows/settlements/settle-period";
import type { ExternalConsumer } from "../../platform/events/consumer";

/** Settles one merchant's period from `settlement.opened` (src/flows/settlements/settle-period.ts). */
export const settlementsConsumer = {
  name: "settlements",
  effect: "external",
  // A payout call (5 s timeout), an R2 put and two D1 round trips, with room to spare.
  leaseMs: 60_000,
  handle: settlePeriod,
} satisfies ExternalConsumer<"settlement.opened">;
