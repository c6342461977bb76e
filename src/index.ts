// The flows register the event topology first: everything below may publish or consume.
import "./flows";
import { createApp } from "./app";
import { handleQueue } from "./consumers";
import { CRON_HANDLERS } from "./entry-points";
import { MAINTENANCE_STEPS } from "./maintenance";
import { runMaintenance } from "./platform/events/maintenance";

export { OrderSaga } from "./durable-objects/checkout/order-saga";
export { DedupStore } from "./durable-objects/dedup-store";
export { FaultStore } from "./durable-objects/fault-store";
export { OutboxSweeper } from "./durable-objects/outbox-sweeper";
export { PaymentSandbox } from "./durable-objects/payment-sandbox";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: handleQueue,
  async scheduled(controller, env) {
    // A flow's own cron (declared in its flow.ts); every other expression is the backbone's maintenance.
    const flowCron = CRON_HANDLERS.get(controller.cron);
    if (flowCron) {
      await flowCron.run(env, controller.scheduledTime);
      return;
    }
    await runMaintenance(env, controller.scheduledTime, MAINTENANCE_STEPS);
  },
} satisfies ExportedHandler<Env>;
