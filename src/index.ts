import { createApp } from "./app";

export { DedupStore } from "./durable-objects/dedup-store";
export { OutboxSweeper } from "./durable-objects/outbox-sweeper";
export { PaymentSandbox } from "./durable-objects/payment-sandbox";

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
