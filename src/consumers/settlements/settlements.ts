import { settlePeriod } from "../../flows/settlements/settle-period";
import type { ExternalConsumer } from "../../platform/events/consumer";

/** Settles one merchant's period from `settlement.opened` (src/flows/settlements/settle-period.ts). */
export const settlementsConsumer = {
  name: "settlements",
  effect: "external",
  // Renewed while the payout call, the R2 put and the D1 round trips run; a settlement that died blocks
  // its retry for at most a minute.
  leaseMs: 60_000,
  handle: settlePeriod,
} satisfies ExternalConsumer<"settlement.opened">;
