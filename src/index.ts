// The flows register the event topology first: everything below may publish or consume.
import "./flows";
import { createApp } from "./app";
import { handleQueue } from "./consumers";
import { CRONS } from "./crons";
import { previousDay } from "./flows/settlements/period";
import { runSettlements } from "./flows/settlements/run-settlements";
import { MAINTENANCE_STEPS } from "./maintenance";
import { runMaintenance } from "./platform/events/maintenance";
import { createLogger } from "./platform/observability/logger";

export { OrderSaga } from "./durable-objects/checkout/order-saga";
export { DedupStore } from "./durable-objects/dedup-store";
export { OutboxSweeper } from "./durable-objects/outbox-sweeper";
export { PaymentSandbox } from "./durable-objects/payment-sandbox";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: handleQueue,
  async scheduled(controller, env) {
    // The daily settlement run; every other expression (CRONS.maintenance) is maintenance.
    if (controller.cron === CRONS.settlements) {
      const now = controller.scheduledTime;
      const log = createLogger({ component: "settlements" });
      await runSettlements(env, previousDay(now), { now, log, trigger: `cron:${CRONS.settlements}` });
      return;
    }
    await runMaintenance(env, controller.scheduledTime, MAINTENANCE_STEPS);
  },
} satisfies ExportedHandler<Env>;
