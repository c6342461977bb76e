import { createApp } from "./app";
import { handleQueue } from "./consumers";
import { runMaintenance } from "./platform/events/maintenance";

export { DedupStore } from "./durable-objects/dedup-store";
export { OrderSaga } from "./durable-objects/order-saga";
export { OutboxSweeper } from "./durable-objects/outbox-sweeper";
export { PaymentSandbox } from "./durable-objects/payment-sandbox";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: handleQueue,
  async scheduled(controller, env) {
    await runMaintenance(env, controller.scheduledTime);
  },
} satisfies ExportedHandler<Env>;
