import { createApp } from "./app";

export { DedupStore } from "./durable-objects/dedup-store";
export { OutboxSweeper } from "./durable-objects/outbox-sweeper";

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
